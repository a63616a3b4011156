"""Payments's rows of the permission matrix: a payment of a Wuhua (530102) family, with one document,
in review at the county level, applied for by wuhua_clerk."""

VIEWERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor"}  # care.view
WORKERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}  # care.apply / review / pay
EXPORTERS = WORKERS | {"auditor"}  # care.export
IN_WUHUA = {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "auditor"}  # their area covers 530102


def scoped(allowed, ok=200):
    """``ok`` for a role of ``allowed`` whose area covers Wuhua; 404 for a reader outside it (qilin_staff,
    the record is looked up before the right to act); 403 for a role that may not look at all."""

    def expect(role, ctx):
        if role not in VIEWERS:
            return 403
        if role not in IN_WUHUA:
            return 404
        return ok if role in allowed else 403

    return expect


def scoped_perm_first(allowed, ok=200):
    """The right to act is checked before the record is looked up (the apply page)."""

    def expect(role, ctx):
        if role not in allowed:
            return 403
        return ok if role in IN_WUHUA else 404

    return expect


def by_perm(allowed, ok=200):
    return lambda role, ctx: ok if role in allowed else 403


W = "/workspace/care/payments"
A = "/api/v1/payments"

MATRIX = [
    ("workspace/care/payments/", "get", f"{W}/", by_perm(VIEWERS), 302),
    ("workspace/care/payments/export/", "get", f"{W}/export/", by_perm(EXPORTERS), 302),
    ("workspace/care/payments/export/", "post", f"{W}/export/", by_perm(EXPORTERS), 302),  # no reason: the form
    (
        "workspace/care/payments/apply/<int:family>/",
        "get",
        f"{W}/apply/{{pay_family.pk}}/",
        scoped_perm_first(WORKERS),
        302,
    ),
    (
        "workspace/care/payments/apply/<int:family>/",
        "post",
        f"{W}/apply/{{pay_family.pk}}/",
        scoped_perm_first(WORKERS),  # empty: the form again, nothing written
        302,
    ),
    ("workspace/care/payments/<int:pk>/", "get", f"{W}/{{payment.pk}}/", scoped(VIEWERS), 302),
    ("workspace/care/payments/<int:pk>/", "post", f"{W}/{{payment.pk}}/", scoped(WORKERS), 302),
    ("workspace/care/payments/<int:pk>/withdraw/", "post", f"{W}/{{payment.pk}}/withdraw/", scoped(WORKERS, 302), 302),
    ("workspace/care/payments/<int:pk>/pay/", "post", f"{W}/{{payment.pk}}/pay/", scoped(WORKERS, 400), 302),
    ("workspace/care/payments/<int:pk>/reverse/", "post", f"{W}/{{payment.pk}}/reverse/", scoped(WORKERS, 400), 302),
    (
        "workspace/care/payments/<int:pk>/documents/<int:attachment_id>/",
        "get",
        f"{W}/{{payment.pk}}/documents/{{payment_document.pk}}/",
        scoped(VIEWERS),
        302,
    ),
    ("workspace/care/budgets/", "get", "/workspace/care/budgets/", by_perm(VIEWERS), 302),
    (
        "workspace/care/budgets/",
        "post",
        "/workspace/care/budgets/",
        lambda role, ctx: 400 if role == "prov_admin" else 403,  # empty: the form again
        302,
    ),
    ("api/v1/payments/", "get", f"{A}/", by_perm(VIEWERS), 401),
    ("api/v1/payments/", "post", f"{A}/", by_perm(WORKERS, 400), 401),
    ("api/v1/payments/<pk>/", "get", f"{A}/{{payment.pk}}/", scoped(VIEWERS), 401),
    ("api/v1/payments/<pk>/decide/", "post", f"{A}/{{payment.pk}}/decide/", scoped(WORKERS, 400), 401),
    ("api/v1/payments/<pk>/withdraw/", "post", f"{A}/{{payment.pk}}/withdraw/", scoped(WORKERS), 401),
    ("api/v1/payments/<pk>/pay/", "post", f"{A}/{{payment.pk}}/pay/", scoped(WORKERS, 400), 401),
    ("api/v1/payments/<pk>/reverse/", "post", f"{A}/{{payment.pk}}/reverse/", scoped(WORKERS, 400), 401),
]


def context(ctx):
    from boai.core.tests.personas import user

    from ..selectors.payments import documents
    from ..services.payments import payment_apply
    from .factories import make_family
    from .payments_helpers import pdf

    family = make_family(region="530102", donor_name="矩阵捐献者")
    payment = payment_apply(
        actor=user("wuhua_clerk"),
        family=family,
        kind="condolence",
        amount_fen=500000,
        reason="矩阵测试申请",
        documents=[pdf()],
    )
    return {"pay_family": family, "payment": payment, "payment_document": documents(payment).first()}
