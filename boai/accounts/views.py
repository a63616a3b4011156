"""Login (password, then a TOTP code), logout, password change, and the account pages of the
system and security administrators. Thin: forms in, services out."""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from boai.core import ratelimits
from boai.core.errors import DomainError
from boai.core.interface import require_perm
from boai.lib.pagination import paginate

from . import selectors, services
from .forms import DeactivateForm, LoginForm, OtpForm, PasswordChangeForm, RoleForm
from .middleware import LOGIN_AT, demo_exempt, password_expired
from .models import User
from .roles import Role

PREAUTH = "boai_preauth"
PREAUTH_SECONDS = 300
OTP_MAX_TRIES = 5


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


def _complete_login(request, user, device, second_factor):
    next_url = request.session.get(PREAUTH, {}).get("next") or reverse(settings.LOGIN_REDIRECT_URL)
    request.session.pop(PREAUTH, None)
    login(request, user, backend="boai.accounts.backends.PasswordBackend")  # new session id
    if device is not None:
        otp_login(request, device)
    request.session[LOGIN_AT] = time.time()
    services.login_succeeded(user=user, second_factor=second_factor)
    if password_expired(user) and not demo_exempt(user):
        return redirect(f"{reverse('accounts:password_change')}?expired=1")
    return redirect(next_url)


@sensitive_post_parameters("password")
def login_view(request):
    # Failed passwords per address, on top of the lockout per username (axes): a whole office behind one
    # NAT signing in at 8:30 never hits it. The code form after it allows 5 tries per password.
    if request.method == "POST" and ratelimits.exhausted(request, "login"):
        return ratelimits.limited_response(request, "login")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, {"username": username})
        if user is None:
            ratelimits.count(request, "login")
            services.login_failed(username=username, reason="bad_credentials")
            form.add_error(None, _("The username or password is not correct."))
        elif demo_exempt(user):
            request.session[PREAUTH] = {"next": next_url}
            return _complete_login(request, user, None, "demo-exempt")
        else:
            request.session.cycle_key()
            request.session[PREAUTH] = {"uid": user.pk, "at": time.time(), "next": next_url, "tries": 0}
            return redirect("accounts:login_otp")
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": next_url,
            "expired": request.GET.get("expired") == "1",
        },
    )


def lockout_response(request, original_response, credentials, *args, **kwargs):
    """Same answer whether or not the account exists (django-axes calls this)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    services.login_failed(username=username, reason="locked_out")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Too many failed attempts. Logging in with this username is blocked for %(minutes)d minutes.") % {
        "minutes": minutes
    }
    return render(request, "accounts/login.html", {"locked_message": message, "locked": True}, status=429)


def _preauth_user(request):
    data = request.session.get(PREAUTH) or {}
    if not data.get("uid") or time.time() - data.get("at", 0) > PREAUTH_SECONDS:
        return None
    return User.objects.filter(pk=data["uid"], is_active=True).first()


def _totp_qr(device) -> tuple[str, str]:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    uri = device.config_url
    return segno.make(uri, error="m").svg_data_uri(scale=5), secret


@sensitive_post_parameters("code")
def login_otp_view(request):
    user = _preauth_user(request)
    if user is None:
        request.session.pop(PREAUTH, None)
        messages.error(request, _("Your login took too long. Please enter your password again."))
        return redirect("accounts:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Boai", confirmed=False
        )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):  # a code is accepted once (django-otp keeps last_t)
            if enrolling:
                services.otp_confirm(device=device, user=user)
            return _complete_login(request, user, device, "totp")
        data = request.session[PREAUTH]
        data["tries"] = data.get("tries", 0) + 1
        request.session[PREAUTH] = data
        services.login_failed(username=user.username, reason="bad_otp")
        if data["tries"] >= OTP_MAX_TRIES:
            request.session.pop(PREAUTH, None)
            messages.error(request, _("Too many wrong codes. Please log in again."))
            return redirect("accounts:login")
        form.add_error("code", _("This code is not correct or has already been used."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr"], context["secret"] = _totp_qr(device)
    return render(request, "accounts/login_otp.html", context)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logged_out(user=request.user)
    logout(request)  # the server-side session is deleted
    messages.success(request, _("You have logged out."))
    return redirect("accounts:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change_view(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else "new_password1", str(exc.message))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "expired": request.GET.get("expired") == "1",
            "max_age": settings.BOAI_PASSWORD_MAX_AGE_DAYS,
        },
    )


def user_list_view(request):
    require_perm(request, "accounts.view")
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    page = paginate(request, selectors.user_list(search=search, role=role if role in Role.values else ""))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": search,
            "role": role,
            "roles": Role.choices,
            "breadcrumbs": [(_("Accounts"), None)],
        },
    )


def user_detail_view(request, pk):
    require_perm(request, "accounts.view")
    account = get_object_or_404(User.objects.select_related("organization"), pk=pk)
    role_form = RoleForm(
        initial={"role": account.role, "organization": account.organization.code if account.organization else None}
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "role_form": role_form,
            "deactivate_form": DeactivateForm(),
            "breadcrumbs": [(_("Accounts"), reverse("staff_accounts:user_list")), (account.username, None)],
        },
    )


@require_POST
def user_role_view(request, pk):
    require_perm(request, "accounts.grant_role")
    account = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_role(
                user=account,
                role=form.cleaned_data["role"],
                actor=request.user,
                organization=form.cleaned_data["organization"],
            )
            messages.success(request, _("The role has been changed."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a role and an organisation."))
    return redirect("staff_accounts:user_detail", pk=pk)


@require_POST
def user_active_view(request, pk):
    require_perm(request, "accounts.manage")
    account = get_object_or_404(User, pk=pk)
    activate = request.POST.get("active") == "1"
    form = DeactivateForm(request.POST)
    if not activate and not form.is_valid():
        messages.error(request, _("Give a reason for disabling the account."))
        return redirect("staff_accounts:user_detail", pk=pk)
    try:
        services.user_set_active(
            user=account,
            active=activate,
            actor=request.user,
            reason=form.cleaned_data.get("reason", "") if form.is_valid() else "",
        )
        messages.success(
            request,
            _("The account has been enabled.")
            if activate
            else _("The account has been disabled and its sessions ended."),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("staff_accounts:user_detail", pk=pk)


@require_POST
def user_otp_reset_view(request, pk):
    require_perm(request, "accounts.grant_role")
    account = get_object_or_404(User, pk=pk)
    try:
        services.user_reset_second_factor(user=account, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The authenticator was removed. The next login will set up a new one."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("staff_accounts:user_detail", pk=pk)
