from boai.core.figures import Figure

from .models import Parcel

FIGURES = [
    Figure(
        code="plugin_app.parcels_received",
        label="Parcels received",
        definition="Parcels whose receipt was recorded.",
        count=lambda year, region_prefix: Parcel.objects.filter(state=Parcel.State.RECEIVED).count(),
    )
]
