from django.urls import reverse

from boai.lib.home import HomeItem, HomePanel

from .models import Parcel


def parcel_items(user):
    yield HomeItem("Parcels to send", reverse("plugin_app:list"), Parcel.objects.count())


PANELS = [HomePanel(order=50, title="Parcels", perm="plugin_app.send", items=parcel_items)]
