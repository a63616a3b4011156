from django.http import HttpResponse

from boai.core.interface import require_perm


def parcel_list(request):
    require_perm(request, "plugin_app.send")
    return HttpResponse("parcels")
