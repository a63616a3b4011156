"""The memorial wall's rows of the permission matrix: the public wall and message form (every role
and anonymous visitors alike), and the staff pages (``memorials.wall``), on a family of Wuhua."""

from boai.care.tests.factories import make_family
from boai.core.tests.matrix_kit import by_scope, everyone, only

from ..models import WallEntry, WallMessage

WALL = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}  # memorials.wall

BASE = "/workspace/memorials/wall"


def context(ctx):
    family = make_family(region="530102", donor_name="矩阵捐献者")
    entry = WallEntry.objects.create(
        family=family,
        consented_by="配偶 测试家属",
        consented_on=family.donated_on,
        show_name=True,
        created_by=family.created_by,
    )
    message = WallMessage.objects.create(entry=entry, text="矩阵留言", submitted_at=entry.created_at)
    other = make_family(region="530102", donor_name="矩阵未同意")
    return {"wall_entry": entry, "wall_message": message, "wall_family": other}


class _Region:
    """``by_scope`` reads ``region_id`` from the record it names."""

    region_id = "530102"


def scoped(ok=200):
    expect = by_scope(ok=ok, allowed=WALL, record="wall_region")
    return lambda role, ctx: expect(role, {**ctx, "wall_region": _Region})


MATRIX = [
    # public pages: everyone, signed in or not
    ("memorial/", "get", "/memorial/", everyone(200), 200),
    ("memorial/message/", "get", "/memorial/message/", everyone(200), 200),
    (
        "memorial/message/",
        "post",
        "/memorial/message/",
        everyone(200),  # nothing filled in: the form again with the messages (not counted by the rate limit)
        200,
        {"code": "", "text": "", "signed": ""},
    ),
    # staff pages
    ("workspace/memorials/wall/", "get", f"{BASE}/", only(*WALL), 302),
    ("workspace/memorials/wall/new/", "get", f"{BASE}/new/?q=T-", only(*WALL), 302),
    ("workspace/memorials/wall/new/<int:family_pk>/", "get", f"{BASE}/new/{{wall_family.pk}}/", scoped(), 302),
    (
        "workspace/memorials/wall/new/<int:family_pk>/",
        "post",
        f"{BASE}/new/{{wall_family.pk}}/",
        scoped(),  # no member chosen: the form again with the message
        302,
        {"member": "", "consented_on": ""},
    ),
    ("workspace/memorials/wall/<int:pk>/", "get", f"{BASE}/{{wall_entry.pk}}/", scoped(), 302),
    (
        "workspace/memorials/wall/<int:pk>/",
        "post",
        f"{BASE}/{{wall_entry.pk}}/",
        scoped(),  # nothing changed: the page again with the message
        302,
        {"show_name": "on", "show_year": "on", "show_prefecture": "on"},
    ),
    ("workspace/memorials/wall/<int:pk>/withdraw/", "get", f"{BASE}/{{wall_entry.pk}}/withdraw/", scoped(), 302),
    (
        "workspace/memorials/wall/<int:pk>/withdraw/",
        "post",
        f"{BASE}/{{wall_entry.pk}}/withdraw/",
        scoped(),  # not confirmed: the confirmation again, nothing written
        302,
        {},
    ),
    ("workspace/memorials/wall/<int:pk>/code/", "post", f"{BASE}/{{wall_entry.pk}}/code/", scoped(), 302),
    ("workspace/memorials/wall/messages/", "get", f"{BASE}/messages/", only(*WALL), 302),
    (
        "workspace/memorials/wall/messages/<int:pk>/decide/",
        "post",
        f"{BASE}/messages/{{wall_message.pk}}/decide/",
        scoped(ok=302),  # no decision given: back to the queue with the message
        302,
        {},
    ),
]
