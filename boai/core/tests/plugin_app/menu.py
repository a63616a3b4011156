from boai.lib.menu import DONATION, MenuEntry, PublicLink

MENU = [MenuEntry(group=DONATION, order=99, label="Parcels", url="plugin_app:list", perm="plugin_app.send")]
PUBLIC = [PublicLink(order=99, label="Track a parcel", url="plugin_app:list")]
