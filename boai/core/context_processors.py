from django.conf import settings

from boai.lib.menu import menu_html, public_links


def boai(request):
    context = {"BOAI_DEMO": settings.DEMO, "BOAI_PRODUCTION": settings.PRODUCTION, "public_links": public_links}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["staff_menu_html"] = lambda: menu_html(user)  # evaluated only by pages that show the menu
    return context
