"""Rate limits (``boai/core/ratelimits.py``): for each named limit the request past it within the window
is refused with 429 and the message, writes nothing, another address or user is not affected, and
after the window it works again. Each test sets small limits (``rate_limits``); the counters are the
test's own (conftest ``rate_limit_clock``, which also holds the limits' clock still)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core import ratelimits
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

MESSAGE = "请求过于频繁，请稍等片刻再试。"


@pytest.fixture
def later(rate_limit_clock):
    """Move the limits' clock on by ``seconds`` (past any window the test uses)."""

    def move(seconds=3600):
        rate_limit_clock.advance(seconds)

    return move


def web(address="10.0.0.1", username=None):
    client = Client(REMOTE_ADDR=address)
    if username:
        client.force_login(user(username))
    return client


def api(address="10.0.0.1", username=None):
    client = APIClient(REMOTE_ADDR=address)
    if username:
        client.force_authenticate(user(username))
    return client


def refused_page(response):
    html = response.content.decode()
    return response.status_code == 429 and MESSAGE in html and int(response["Retry-After"]) > 0


def refused_json(response):
    return response.status_code == 429 and response.json() == {"detail": MESSAGE, "code": "rate_limited"}


# --- login, per address -------------------------------------------------------------------------------


def login(client, username="nobody_here"):
    return client.post("/accounts/login/", {"username": username, "password": "wrong-Password-1"})


def test_login_attempts_are_limited_per_address_on_top_of_the_lockout(rate_limits, later):
    rate_limits(login="3/m")
    client = web("10.0.0.1")
    assert [login(client, f"someone{i}").status_code for i in range(3)] == [200, 200, 200]  # three usernames
    entries = AuditEntry.objects.count()
    response = login(client, "wuhua_staff")
    assert refused_page(response)
    assert AuditEntry.objects.count() == entries  # not even a failed login recorded: the view did not run
    assert login(web("10.0.0.2"), "someone").status_code == 200  # another address
    assert client.get("/accounts/login/").status_code == 200  # the form is still shown
    later()
    assert login(client, "someone").status_code == 200


def test_the_login_limit_counts_the_address_behind_a_trusted_proxy(settings, rate_limits):
    settings.BOAI_TRUSTED_PROXIES = 1
    rate_limits(login="2/m")
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(2):
        login_from = proxy.post(
            "/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        assert login_from.status_code == 200
    third = proxy.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert third.status_code == 429
    # another client behind the same proxy is not affected; a forged header before the proxy's changes nothing
    other = proxy.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.10"
    )
    assert other.status_code == 200


def test_only_failed_passwords_count_so_a_whole_office_can_sign_in(rate_limits):
    """An office behind one NAT signs in at 8:30: good passwords never use up the address's limit."""
    from boai.core.tests.personas import PASSWORD

    rate_limits(login="2/m")
    office = web("10.0.0.7")
    for _ in range(4):
        signed = office.post("/accounts/login/", {"username": "wuhua_staff", "password": PASSWORD})
        assert signed.status_code == 302  # on to the code form, never 429
        office.cookies.clear()
    assert [login(office).status_code for _ in range(2)] == [200, 200]
    assert refused_page(login(office))


def test_a_client_reaching_gunicorn_directly_cannot_choose_its_address(settings, rate_limits):
    """X-Forwarded-For is believed only from the proxies' own addresses (found by review: anyone who
    reached the app server directly got past the per-address limits with a new header each time)."""
    settings.BOAI_TRUSTED_PROXIES = 1
    rate_limits(login="2/m")
    direct = Client(REMOTE_ADDR="10.20.30.40")  # not one of BOAI_PROXY_ADDRESSES

    def attempt(n):
        return direct.post(
            "/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )

    assert [attempt(n).status_code for n in range(2)] == [200, 200]
    assert attempt(3).status_code == 429  # the forged addresses were all counted as 10.20.30.40


def test_an_ipv4_client_on_a_dual_stack_listener_counts_as_itself():
    from boai.core.ratelimits import _network

    assert _network("::ffff:10.1.2.3") == "10.1.2.3" and _network("::ffff:10.1.2.4") == "10.1.2.4"
    assert _network("2001:db8:1:2::5") == _network("2001:db8:1:2::6") == "2001:db8:1:2::"


# --- public look-ups, per address ---------------------------------------------------------------------


def test_the_e_card_verification_page_is_limited_per_address(rate_limits, later):
    rate_limits(lookup="2/m")
    client = web("10.0.0.1")
    assert [client.get(f"/v/nope{i}/").status_code for i in range(2)] == [404, 404]
    assert refused_page(client.get("/v/nope9/"))
    assert web("10.0.0.2").get("/v/nope9/").status_code == 404
    later()
    assert client.get("/v/nope9/").status_code == 404


def test_the_public_verify_api_is_limited_per_address_with_the_json_error(rate_limits, later):
    rate_limits(lookup="2/m")
    client = api("10.0.0.1")
    assert [client.get(f"/api/v1/public/verify/nope{i}/").status_code for i in range(2)] == [404, 404]
    assert refused_json(client.get("/api/v1/public/verify/nope9/"))
    assert api("10.0.0.2").get("/api/v1/public/verify/nope9/").status_code == 404
    later()
    assert client.get("/api/v1/public/verify/nope9/").status_code == 404


def test_the_look_up_code_api_is_limited_per_address_and_sends_nothing(rate_limits):
    from boai.core.models import SmsCode

    rate_limits(lookup="1/m")
    client = api("10.0.0.1")
    assert client.post("/api/v1/public/lookup-codes/", {"id_number": "x"}, format="json").status_code == 202
    codes = SmsCode.objects.count()
    assert refused_json(client.post("/api/v1/public/lookup-codes/", {"id_number": "x"}, format="json"))
    assert SmsCode.objects.count() == codes


def test_the_portal_look_up_form_is_limited_per_address(rate_limits):
    rate_limits(lookup="1/m")
    client = web("10.0.0.1")
    assert client.get("/lookup/").status_code == 200
    assert client.post("/lookup/", {"id_number": "1", "action": "send_code"}).status_code == 200
    assert refused_page(client.post("/lookup/", {"id_number": "1", "action": "send_code"}))
    assert client.get("/lookup/").status_code == 200  # showing the form is no look-up


def test_the_memorial_wall_search_is_limited_but_browsing_is_not(rate_limits):
    rate_limits(lookup="1/m")
    client = web("10.0.0.1")
    assert client.get("/memorial/", {"q": "张"}).status_code == 200
    assert refused_page(client.get("/memorial/", {"q": "李"}))
    assert client.get("/memorial/").status_code == 200


def test_the_certificate_verification_is_limited_per_address(rate_limits, later):
    rate_limits(verify="2/m")
    client = web("10.0.0.1")
    assert [client.get("/verify/", {"number": "X1"}).status_code for _ in range(2)] == [404, 404]
    third = client.get("/verify/", {"number": "X1"})
    assert third.status_code == 429 and MESSAGE in third.content.decode()
    assert web("10.0.0.2").get("/verify/", {"number": "X1"}).status_code == 404
    later()
    assert client.get("/verify/", {"number": "X1"}).status_code == 404


# --- staff searches and exports, per user ---------------------------------------------------------------


def test_staff_searches_are_limited_per_user_not_per_address(rate_limits, later):
    rate_limits(search="2/m")
    admin = web("10.0.0.1", "sysadmin")
    assert [admin.get("/workspace/accounts/", {"q": "staff"}).status_code for _ in range(2)] == [200, 200]
    response = admin.get("/workspace/accounts/", {"q": "staff"})
    assert refused_page(response) and "workspace" in response.content.decode()  # the staff layout, menu and all
    assert admin.get("/workspace/accounts/").status_code == 200  # the list without a search is no search
    colleague = web("10.0.0.1", "secadmin")  # the same office, the same NAT address
    assert colleague.get("/workspace/accounts/", {"q": "staff"}).status_code == 200
    later()
    assert admin.get("/workspace/accounts/", {"q": "staff"}).status_code == 200


def test_a_search_kept_out_of_the_url_counts_too(rate_limits):
    rate_limits(search="1/m")
    staff = web("10.0.0.1", "kunming_staff")
    assert staff.post("/workspace/registrations/", {"q": "张"}, HTTP_HX_REQUEST="true").status_code == 200
    refused = staff.post("/workspace/registrations/", {"q": "李"}, HTTP_HX_REQUEST="true")
    assert refused_page(refused)
    assert refused.content.decode() == f'<p class="msg msg-error" role="alert">{MESSAGE}</p>'  # htmx swaps it in
    assert refused_page(staff.post("/workspace/registrations/", {"q": "王"}))  # without htmx: the whole page


def test_staff_exports_are_limited_per_user_and_the_refused_one_is_not_audited(rate_limits, later):
    rate_limits(export="2/m")
    staff = web("10.0.0.1", "kunming_staff")
    assert [staff.get("/workspace/registrations/export.csv").status_code for _ in range(2)] == [200, 200]
    exported = AuditEntry.objects.filter(action="registry.registration.exported").count()
    assert refused_page(staff.get("/workspace/registrations/export.csv"))
    assert AuditEntry.objects.filter(action="registry.registration.exported").count() == exported
    assert web("10.0.0.1", "prov_admin").get("/workspace/registrations/export.csv").status_code == 200
    later()
    assert staff.get("/workspace/registrations/export.csv").status_code == 200


def test_the_api_search_is_limited_per_user_with_the_json_error(rate_limits, later):
    rate_limits(search="2/m")
    client = api("10.0.0.1", "kunming_staff")
    search = {"search": "张"}
    assert [client.post("/api/v1/registrations/search/", search, format="json").status_code for _ in range(2)] == [
        200,
        200,
    ]
    assert refused_json(client.post("/api/v1/registrations/search/", search, format="json"))
    assert client.get("/api/v1/registrations/").status_code == 200  # the plain list is no search
    assert api("10.0.0.1", "prov_admin").post("/api/v1/registrations/search/", search, format="json").status_code == 200
    later()
    assert client.post("/api/v1/registrations/search/", search, format="json").status_code == 200


def test_an_api_list_with_q_counts_as_a_search(rate_limits):
    rate_limits(search="1/m")
    client = api("10.0.0.1", "sysadmin")
    assert client.get("/api/v1/accounts/users/", {"q": "staff"}).status_code == 200
    assert refused_json(client.get("/api/v1/accounts/users/", {"q": "staff"}))
    assert client.get("/api/v1/accounts/users/").status_code == 200


def test_the_api_export_is_limited_per_user(rate_limits):
    rate_limits(export="1/m")
    client = api("10.0.0.1", "prov_admin")
    first = client.get("/api/v1/coordinator-qualifications/export/")
    assert first.status_code == 200, first.content[:300]
    assert refused_json(client.get("/api/v1/coordinator-qualifications/export/"))


# --- the mechanism --------------------------------------------------------------------------------------


def test_the_schema_lists_429_where_a_limit_applies():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "429" in paths["/api/v1/registrations/search/"]["post"]["responses"]
    assert "429" in paths["/api/v1/public/verify/{code}/"]["get"]["responses"]
    assert "429" in paths["/api/v1/coordinator-qualifications/export/"]["get"]["responses"]
    assert "429" not in paths["/api/v1/public/consent-notice/"]["get"]["responses"]


def test_a_cache_that_cannot_count_lets_requests_through(monkeypatch, rate_limits):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("Redis is stopped")

    monkeypatch.setattr("django_ratelimit.core.get_usage", down)
    monkeypatch.setattr(ratelimits, "get_usage", down)
    rate_limits(lookup="1/m")
    client = web("10.0.0.1")
    assert [client.get("/v/nope/").status_code for _ in range(3)] == [404, 404, 404]


def test_every_limit_has_a_rate_in_the_settings(settings):
    assert set(settings.BOAI_RATE_LIMITS) == set(ratelimits.LIMITS)


def test_a_rate_comes_from_the_environment(tmp_path):
    import subprocess
    import sys

    from django.conf import settings as django_settings

    code = "from django.conf import settings; print(settings.BOAI_RATE_LIMITS['login'])"
    env = {"BOAI_RATE_LOGIN": "7/5m", "DJANGO_SETTINGS_MODULE": "config.settings", "BOAI_VAR_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        timeout=120,
    )
    assert run.stdout.strip() == "7/5m", run.stderr[-500:]
    env["BOAI_RATE_LOGIN"] = "lots"
    bad = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        timeout=120,
    )
    assert bad.returncode != 0 and "BOAI_RATE_LOGIN" in bad.stderr


# --- SMS codes: counted in the database by core.services.sms (per phone and per address) -----------------


def send(phone, ip, now):
    from django.db import transaction

    from boai.core.services import sms_code_send

    with transaction.atomic():
        sms_code_send(phone=phone, purpose="register", text="{code}", ip=ip, now=now, deliver=False)


def refused_sms(phone, ip, now):
    from boai.core.errors import RateLimited
    from boai.core.models import SmsCode

    before = SmsCode.objects.count()
    try:
        send(phone, ip, now)
    except RateLimited as exc:
        assert exc.status == 429 and SmsCode.objects.count() == before
        return str(exc.message)
    return None


def test_sms_codes_are_limited_per_phone_per_hour_and_work_again_after_it(settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.BOAI_SMS_PER_PHONE_PER_HOUR = 3
    start = timezone.now()
    for minute in range(3):
        send("13800001111", "10.0.0.1", start + timedelta(minutes=2 * minute))
    assert (
        refused_sms("13800001111", "10.0.0.1", start + timedelta(minutes=10))
        == "此手机号获取验证码的次数过多，请1小时后再试。"
    )
    assert refused_sms("13800002222", "10.0.0.1", start + timedelta(minutes=10)) is None  # another phone
    assert refused_sms("13800001111", "10.0.0.2", start + timedelta(minutes=61)) is None  # the hour passed


def test_sms_codes_are_limited_per_address_per_hour(settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.BOAI_SMS_PER_IP_PER_HOUR = 2
    start = timezone.now()
    send("13800000001", "10.0.0.7", start)
    send("13800000002", "10.0.0.7", start)
    assert refused_sms("13800000003", "10.0.0.7", start) == "当前网络获取验证码的次数过多，请1小时后再试。"
    assert refused_sms("13800000003", "10.0.0.8", start) is None  # another address
    assert refused_sms("13800000004", "10.0.0.7", start + timedelta(minutes=61)) is None


def test_a_second_sms_code_within_a_minute_is_refused(settings):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now()
    send("13800003333", "10.0.0.1", start)
    assert refused_sms("13800003333", "10.0.0.1", start + timedelta(seconds=30))
    assert refused_sms("13800003333", "10.0.0.1", start + timedelta(seconds=61)) is None


def test_an_ipv6_client_counts_by_its_64_block():
    assert (
        ratelimits._network("2001:db8:1:2:aaaa::1") == ratelimits._network("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::"
    )
    assert ratelimits._network("2001:db8:1:3::1") != ratelimits._network("2001:db8:1:2::1")
    assert ratelimits._network("10.0.0.1") == "10.0.0.1" and ratelimits._network(None) == "unknown"
