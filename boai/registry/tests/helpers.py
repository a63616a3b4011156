"""Helpers for registry tests: valid ID numbers, the SMS outbox, a complete form."""

import json
import subprocess
from datetime import date

from stdnum.cn import ric


def resident_id(region="530102", born=date(1970, 1, 1), seq="12", sex="M") -> str:
    body = f"{region}{born:%Y%m%d}{seq}{1 if sex == 'M' else 2}"
    return body + ric.calc_check_digit(body + "0")


def api_registration(*, seq="56", born=date(1970, 1, 1), **overrides) -> dict:
    """A valid body for ``POST /api/v1/registrations/`` (a woman in Wuhua, paper form, kidneys), with
    ``overrides`` on top; ``seq`` and ``born`` make the ID number another person's."""
    from boai.registry.notices import CURRENT

    body = {
        "name": "普美华",
        "sex": "F",
        "id_type": "resident_id",
        "id_number": resident_id(born=born, seq=seq, sex="F"),
        "phone": "13700003333",
        "region": "530102",
        "organs": ["kidney"],
        "tissues": [],
        "body": False,
        "consent_version": CURRENT,
        "channel": "paper",
    }
    return body | overrides


def last_code(outbox) -> str:
    return json.loads(outbox.read_text(encoding="utf-8").splitlines()[-1])["code"]


def sms_count(outbox) -> int:
    return len(outbox.read_text(encoding="utf-8").splitlines()) if outbox.exists() else 0


def form_data(**overrides) -> dict:
    data = {
        "name": "和志刚",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13800001111",
        "region": "530102",
        "ethnic_group": "27",
        "address": "五华区青年路1号",
        "organs": ["all"],
        "tissues": ["cornea"],
        "family_1_name": "和丽",
        "family_1_relationship": "配偶",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def committing_client(username: str, capture):
    """A page client (in English) whose POSTs run what waits for the commit (the background jobs),
    as after a real request. ``capture``: pytest-django's ``django_capture_on_commit_callbacks``."""
    from django.test import Client

    from boai.core.tests.personas import user

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    original = client.post

    def post(*args, **kwargs):
        with capture(execute=True):
            return original(*args, **kwargs)

    client.post = post
    return client


def sheet(rows, header, name="list.xlsx"):
    """An uploaded .xlsx file: the header row, then the rows."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def database_dump() -> str:
    """The test database as text: ``pg_dump`` on PostgreSQL (what an outsider with a backup holds; the
    rows must be committed: a transactional test), SQLite's own dump otherwise."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    s = connection.settings_dict
    env = {"PGPASSWORD": s.get("PASSWORD") or ""}
    out = subprocess.run(
        ["pg_dump", "-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s["USER"], s["NAME"]],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return out.stdout
