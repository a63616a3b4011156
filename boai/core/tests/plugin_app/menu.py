from boai.lib.menu import DONATION, MenuEntry

MENU = [MenuEntry(group=DONATION, order=99, label="Parcels", url="plugin_app:list", perm="plugin_app.send")]
