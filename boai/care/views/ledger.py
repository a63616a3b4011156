"""Pages of the ledger: the public, anonymised ledger of the payments to donor families (page and CSV,
no login) and the staff page that checks the ledger against itself and the audit chain."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from boai.core.interface import require_perm
from boai.lib import sheets

from ..models import PaymentKind
from ..selectors import ledger as selectors
from ..services import ledger as services


def yuan(fen: int) -> str:
    """``123456`` → ``"1,234.56"`` (a local copy until ``boai.lib.money`` is merged)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def _year(value) -> int:
    """The year asked for; 404 for anything but a year from FIRST_YEAR to this year."""
    text = str(value)
    if not (text.isascii() and text.isdecimal() and len(text) == 4) or not selectors.year_in_range(int(text)):
        raise Http404
    return int(text)


def _labels(table, row) -> dict:
    kinds = dict(PaymentKind.choices)
    if row.level == selectors.MONTH:
        month = f"{table.year}-{row.month:02d}"
    else:
        month = str(selectors.YEAR_LABEL)
    prefecture = table.prefectures.get(row.prefecture, row.prefecture) if row.prefecture else str(selectors.OTHER_LABEL)
    return {
        "month": month,
        "prefecture": prefecture,
        "kind": str(kinds.get(row.kind, row.kind)),
        "count": row.count,
        "amount": yuan(row.amount_fen),
        "fen": Decimal(row.amount_fen).scaleb(-2),  # the CSV's number: 1234.50, never defused as a formula
        "hash": row.hash,
        "short": row.hash[:12],
        "folded": row.level != selectors.MONTH,
    }


def _totals(table) -> list[dict]:
    """The totals that may be published: the kinds whose total is shown, then the overall total (unless
    the whole year has too few payments to publish any figure)."""
    kinds = dict(PaymentKind.choices)
    out = [
        {"kind": str(kinds.get(t.kind, t.kind)), "count": t.count, "amount_fen": t.amount_fen, "hash": t.hash}
        for t in table.kind_totals
        if t.shown
    ]
    overall = table.overall
    if overall.shown:
        out.append(
            {"kind": _("All kinds"), "count": overall.count, "amount_fen": overall.amount_fen, "hash": overall.hash}
        )
    for t in out:
        t.update(short=t["hash"][:12], amount=yuan(t["amount_fen"]), fen=Decimal(t["amount_fen"]).scaleb(-2))
    return out


def _hidden_kinds(table) -> list[str]:
    kinds = dict(PaymentKind.choices)
    return [str(kinds.get(t.kind, t.kind)) for t in table.kind_totals if not t.shown]


@require_GET
def public_ledger(request):
    year = _year(request.GET["year"]) if "year" in request.GET else selectors.latest_year()
    table = selectors.public_rows(year)
    chart = selectors.month_chart(table.months)
    for bar in chart["bars"]:
        bar["label"] = yuan(bar["amount"])
    years = sorted(set(selectors.years_with_payments()) | {year}, reverse=True)
    # No public caching: the platform marks every page no-store (core.middleware.NoStoreMiddleware), and the
    # page carries the language form's CSRF token.
    return render(
        request,
        "care/ledger_public.html",
        {
            "year": year,
            "years": [y for y in years if selectors.year_in_range(y)],
            "rows": [_labels(table, row) for row in table.rows],
            "totals": _totals(table),
            "has_entries": table.overall.entries > 0,
            "overall_shown": table.overall.shown,
            "hidden_kinds": _hidden_kinds(table) if table.overall.shown else [],
            "chart": chart,
            "months_shown": any(row.level == selectors.MONTH for row in table.rows),
            "min_shown": selectors.MIN_SHOWN,
        },
    )


@require_GET
def public_csv(request, year):
    year = _year(year)
    table = selectors.public_rows(year)

    def labels(row):
        return _labels(table, row)

    header = [_("Month"), _("Prefecture"), _("Kind"), _("Number of payments"), _("Amount (yuan)"), _("Hash (SM3)")]
    lines = [[r["month"], r["prefecture"], r["kind"], r["count"], r["fen"], r["hash"]] for r in map(labels, table.rows)]
    total = _("Total %(year)s") % {"year": year}
    lines += [[total, "", t["kind"], t["count"], t["fen"], t["hash"]] for t in _totals(table)]
    response = HttpResponse("".join(sheets.csv_stream(header, lines)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledger-{year}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def check(request):
    require_perm(request, "care.export")
    result = services.check(actor=request.user) if request.method == "POST" else None
    return render(
        request,
        "care/ledger_check.html",
        {"result": result, "breadcrumbs": [(_("Ledger check"), None)]},
    )


urlpatterns = [path("ledger/check/", check, name="ledger_check")]
public_urlpatterns = [
    path("", public_ledger, name="public"),
    path("<str:year>.csv", public_csv, name="csv"),
]
