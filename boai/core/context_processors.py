from django.conf import settings


def boai(request):
    return {"BOAI_DEMO": settings.DEMO, "BOAI_PRODUCTION": settings.PRODUCTION}
