from .models import Parcel


def load() -> bool:
    if Parcel.objects.exists():
        return False
    Parcel.objects.create(label="demo")
    return True
