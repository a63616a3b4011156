import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from boai.accounts.middleware import LOGIN_AT
from boai.accounts.models import User
from boai.accounts.services import user_set_active
from boai.audit.models import AuditEntry
from boai.core.tests.personas import PASSWORD, user

pytestmark = pytest.mark.django_db


def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.1.2.3")


def code_for(device, offset=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def password_step(c, username="wuhua_staff", password=PASSWORD):
    return c.post("/accounts/login/", {"username": username, "password": password})


def full_login(c, username="wuhua_staff"):
    """Password, then enrol (first login) or enter a TOTP code. Returns the device."""
    assert password_step(c, username).status_code == 302
    c.get("/accounts/login/otp/")
    device = TOTPDevice.objects.get(user__username=username)
    response = c.post("/accounts/login/otp/", {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()[:500]
    return device


def test_a_wrong_password_gets_a_clear_message_and_is_audited():
    response = password_step(client(), password="wrong-password")
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()
    entry = AuditEntry.objects.filter(action="accounts.login.failed").latest("id")
    assert entry.actor_username == "wuhua_staff" and entry.ip == "10.1.2.3" and not entry.success
    assert AccessAttempt.objects.get(username="wuhua_staff").failures_since_start == 1


def test_the_password_alone_gives_no_session():
    c = client()
    assert password_step(c).url == "/accounts/login/otp/"
    response = c.get("/workspace/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_first_login_enrols_an_authenticator_then_logs_in():
    c = client()
    password_step(c)
    page = c.get("/accounts/login/otp/").content.decode()
    assert "Scan this code" in page and "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user__username="wuhua_staff")
    assert not device.confirmed
    c.post("/accounts/login/otp/", {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert c.get("/workspace/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.otp.enrolled", actor_username="wuhua_staff").exists()
    entry = AuditEntry.objects.filter(action="accounts.login.succeeded").latest("id")
    assert entry.changes == {"second_factor": "totp"} and entry.request_id


def test_a_code_works_only_once():
    from django_otp.oath import TOTP

    device = full_login(client())
    device.refresh_from_db()
    used = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    used.time = device.t0 + device.last_t * device.step  # the code just used, even if a new 30 s window began
    c = client()
    password_step(c)
    response = c.post("/accounts/login/otp/", {"code": f"{used.token():06d}"})
    assert response.status_code == 200
    assert "not correct or has already been used" in response.content.decode()


def test_a_malformed_code_is_explained():
    c = client()
    password_step(c)
    response = c.post("/accounts/login/otp/", {"code": "12ab"})
    assert "Enter the 6 digits" in response.content.decode()


def test_login_gives_a_new_session_id():
    c = client()
    c.get("/accounts/login/")
    password_step(c)
    c.get("/accounts/login/otp/")
    before = c.session.session_key
    device = TOTPDevice.objects.get(user__username="wuhua_staff")
    c.post("/accounts/login/otp/", {"code": code_for(device)})
    assert c.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_five_failures_lock_the_account_even_for_the_right_password():
    c = client()
    for _ in range(5):
        password_step(c, password="wrong-password")
    response = password_step(c)  # the 6th try, with the right password
    assert response.status_code == 429
    assert "blocked for 30 minutes" in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.login.failed", changes__reason="locked_out").exists()


def test_the_lockout_looks_the_same_for_an_account_that_does_not_exist():
    c = client()
    answers = {}
    for username in ("wuhua_staff", "nobody_here"):
        for _ in range(5):
            password_step(c, username=username, password="wrong-password")
        response = password_step(c, username=username, password="wrong-password")
        answers[username] = (response.status_code, response.content.decode().replace(username, "U"))
    assert answers["wuhua_staff"][0] == answers["nobody_here"][0] == 429

    def without_tokens(html):
        return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)

    assert without_tokens(answers["wuhua_staff"][1]) == without_tokens(answers["nobody_here"][1])


def test_the_lockout_ends_after_30_minutes():
    c = client()
    for _ in range(5):
        password_step(c, password="wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert password_step(c).status_code == 302


def test_an_expired_session_sends_you_to_login_with_a_message():
    c = client()
    full_login(c)
    Session.objects.filter(session_key=c.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = c.get("/workspace/registrations/")
    assert response.status_code == 302 and "expired=1" in response.url
    assert "Your session has expired" in c.get(response.url).content.decode()


def test_a_session_ends_after_the_absolute_limit_even_when_active():
    c = client()
    full_login(c)
    session = c.session
    session[LOGIN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = c.get("/workspace/")
    assert response.status_code == 302 and "expired=1" in response.url


def test_logout_ends_the_session_on_the_server():
    c = client()
    full_login(c)
    cookie = c.cookies["sessionid"].value
    c.post("/accounts/logout/")
    replay = client()
    replay.cookies["sessionid"] = cookie
    assert replay.get("/workspace/").status_code == 302


def test_disabling_an_account_ends_its_sessions():
    c = client()
    full_login(c)
    cookie = c.cookies["sessionid"].value
    user_set_active(user=user("wuhua_staff"), active=False, actor=user("sysadmin"), reason="left the branch")
    assert not Session.objects.filter(session_key=cookie).exists()
    replay = client()
    replay.cookies["sessionid"] = cookie
    response = replay.get("/workspace/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_password_older_than_90_days_must_be_changed():
    c = client()
    full_login(c)
    User.objects.filter(username="wuhua_staff").update(password_changed_at=timezone.now() - timedelta(days=91))
    response = c.get("/workspace/")
    assert response.status_code == 302 and response.url == "/accounts/password/?expired=1"
    response = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Another-Pass-2027", "new_password2": "Another-Pass-2027"},
    )
    assert response.status_code == 302
    assert c.get("/workspace/").status_code == 200


@pytest.mark.parametrize(
    "password, message",
    [
        ("Sh0rt!", "at least 10"),
        ("alllowercaseletters", "at least 3 kinds"),
        ("password123", "too common"),
        ("12345678901234", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, message):
    c = client()
    full_login(c)
    response = c.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert user("wuhua_staff").check_password(PASSWORD)


def test_demo_accounts_skip_the_code_only_in_demo_mode(settings):
    settings.DEMO = True
    c = client()
    assert password_step(c).url == "/workspace/"
    settings.DEMO = False
    c2 = client()
    assert password_step(c2).url == "/accounts/login/otp/"


def test_a_csrf_failure_is_explained():
    c = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = c.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_real_passwords_hash_with_argon2_at_full_cost():
    """The tests hash at Argon2's smallest cost (conftest.QuickArgon2PasswordHasher); the settings that
    serve people keep Argon2 first, at a cost worth the name (OWASP: at least 19 MiB, 2 passes)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    import config.settings as configured

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher.memory_cost >= 19 * 1024 and Argon2PasswordHasher.time_cost >= 2
