"""Session policy for staff pages: login required under /workspace/, an absolute session limit,
and a forced password change once the password is older than the policy allows."""

import time
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT = "boai_login_at"
STAFF_PREFIXES = ("/workspace/", "/admin/")


def password_expired(user) -> bool:
    max_age = settings.BOAI_PASSWORD_MAX_AGE_DAYS
    return bool(max_age) and user.password_changed_at < timezone.now() - timedelta(days=max_age)


def demo_exempt(user) -> bool:
    """Demo accounts skip the second factor and password expiry under `make run` (BOAI_DEMO) only."""
    return bool(settings.DEMO and getattr(user, "is_demo", False))


def _redirect(request, url):
    if getattr(request, "htmx", False):
        response = HttpResponseRedirect(url)
        response.status_code = 204
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _login_url(request, *, expired: bool):
    params = {"next": request.get_full_path()}
    if expired:
        params["expired"] = "1"
    return f"{reverse('accounts:login')}?{urlencode(params)}"


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        is_staff_page = request.path.startswith(STAFF_PREFIXES)
        is_api = request.path.startswith("/api/")
        if user.is_authenticated and hasattr(request, "session") and LOGIN_AT in request.session:
            limit = settings.BOAI_SESSION_ABSOLUTE_HOURS * 3600
            if time.time() - request.session[LOGIN_AT] > limit:
                logout(request)
                if is_api:
                    return JsonResponse({"detail": _("Your session has expired. Please log in again.")}, status=401)
                if is_staff_page:
                    return _redirect(request, _login_url(request, expired=True))
                return self.get_response(request)
        if is_staff_page and not user.is_authenticated:
            had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
            return _redirect(request, _login_url(request, expired=had_session))
        if user.is_authenticated and not demo_exempt(user) and password_expired(user):
            change = reverse("accounts:password_change")
            if is_staff_page:
                return _redirect(request, f"{change}?expired=1")
            if is_api and not request.META.get("HTTP_AUTHORIZATION"):
                return JsonResponse({"detail": _("Your password has expired. Please change it.")}, status=403)
        return self.get_response(request)
