"""The annual report as documents: a Word file (python-docx, for staff to edit further) and a PDF
(WeasyPrint), both with the sentences, the tables and the charts drawn on the server as PNG
(``lib.png_charts``). Each download is audited with its years, area and format."""

import base64
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import check_perm
from boai.audit.services import audit_log
from boai.lib.pdf import render_pdf
from boai.lib.png_charts import bar_chart_png, column_chart_png

from ..selectors.report import Report, number


def area_rows(report: Report) -> list[tuple[str, dict[str, int]]]:
    """The rows of the table by area as (name, figures): each area, the province level (figures
    recorded at the province itself, in no prefecture) when there are any, and the total."""
    rows = [(r.name, v) for r, v in report.rows]
    if report.own_level:
        rows.append((str(_("Province level")), report.own_level))
    if len(report.rows) > 1 or report.own_level:
        rows.append((str(_("Total")), report.totals))
    return rows


def area_note(report: Report) -> str:
    if not report.own_level:
        return ""
    return _(
        "The province level counts what the province recorded itself (such as its events, trainings and"
        " excellent coordinators): the province's figure minus the sum of its prefectures."
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": "application/pdf", "docx": DOCX}
AREA_COLUMNS = 5  # figures side by side in a table by area


def title(report: Report) -> str:
    if report.multi_year:
        return _("%(area)s: donation work %(first)s–%(last)s") % {
            "area": report.region.name,
            "first": report.first,
            "last": report.last,
        }
    return _("%(area)s: annual report of donation work %(year)s") % {"area": report.region.name, "year": report.first}


def charts(report: Report) -> list[tuple[str, bytes]]:
    """The report's charts as (caption, PNG): registrations by area, then by month (one year) or by
    year (a span)."""
    out = []
    if len(report.rows) > 1:
        caption = _("Intent registrations by area, %(period)s") % {"period": report.period}
        out.append(
            (
                caption,
                bar_chart_png(
                    caption,
                    [r.name for r, _v in report.rows],
                    [v["registrations"] for _r, v in report.rows],
                ),
            )
        )
    if report.months:
        caption = _("Intent registrations by month, %(year)s") % {"year": report.first}
        labels = [str(int(m)) for m, _n in report.months]
        out.append((caption, column_chart_png(caption, labels, [n for _m, n in report.months])))
    if report.years:
        for name, text in (
            ("registrations", _("Intent registrations by year")),
            ("organ_donations", _("Organ donations by year")),
            ("body_donations", _("Body donations by year")),
        ):
            values = [row[name] for _y, row in report.years]
            out.append((text, column_chart_png(text, [y for y, _row in report.years], values)))
    return out


def _tables(report: Report) -> list[dict]:
    """The tables as header and rows of text: the totals, the areas (a row per area, the figures in
    groups of columns that fit an A4 page) and, for a span, the years."""
    names = report.names
    tables = [
        {
            "caption": _("Figures of %(period)s") % {"period": report.period},
            "header": [_("Item"), _("Total")],
            "rows": [[report.labels[n], number(report.totals[n])] for n in names],
        }
    ]
    by_area = _("By %(area)s") % {"area": report.area_label}
    rows = area_rows(report)
    for start in range(0, len(names), AREA_COLUMNS):
        group = names[start : start + AREA_COLUMNS]
        last_group = start + AREA_COLUMNS >= len(names)
        tables.append(
            {
                "caption": by_area if start == 0 else _("%(caption)s (continued)") % {"caption": by_area},
                "header": [report.area_label, *[report.labels[n] for n in group]],
                "rows": [[name, *[number(v[n]) for n in group]] for name, v in rows],
                "areas": True,
                "note": area_note(report) if last_group else "",
            }
        )
    if report.years:
        tables.append(
            {
                "caption": _("By year"),
                "header": [_("Item"), *[str(y) for y, _row in report.years], _("Total")],
                "rows": [
                    [report.labels[n], *[number(row[n]) for _y, row in report.years], number(report.totals[n])]
                    for n in names
                ],
            }
        )
    return tables


def document_tables(report: Report) -> list[dict]:
    return _tables(report)


def build_docx(report: Report) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    doc.add_heading(title(report), level=0)
    doc.add_heading(_("Summary"), level=1)
    for sentence in report.sentences:
        doc.add_paragraph(sentence)
    for table in document_tables(report):
        if table["caption"]:
            doc.add_heading(table["caption"], level=1)
        grid = doc.add_table(rows=1, cols=len(table["header"]))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table["header"], strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table["rows"]:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
        if table.get("note"):
            doc.add_paragraph(table["note"])
        doc.add_paragraph()
    pictures = charts(report)
    if pictures:
        doc.add_heading(_("Charts"), level=1)
    for caption, png in pictures:
        doc.add_picture(io.BytesIO(png), width=Cm(16))
        doc.add_paragraph(caption)
    doc.core_properties.title = title(report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_pdf(report: Report) -> bytes:
    images = [
        {"caption": caption, "src": "data:image/png;base64," + base64.b64encode(png).decode()}
        for caption, png in charts(report)
    ]
    return render_pdf(
        "stats/report_pdf.html",
        {
            "title": title(report),
            "report": report,
            "tables": document_tables(report),
            "charts": images,
            "made_on": timezone.localdate(),
        },
    )


def report_exported(*, actor, report: Report, fmt: str) -> bytes:
    """The report as ``fmt`` ("pdf" or "docx"), its download audited (stats.export)."""
    check_perm(actor, "stats.export")
    build = {"pdf": build_pdf, "docx": build_docx}[fmt]
    content = build(report)
    with transaction.atomic():
        audit_log(
            action="stats.report.exported",
            actor=actor,
            object_type="core.region",
            object_id=report.region.code,
            object_repr=report.region.name,
            changes={"year": report.first, "last_year": report.last, "region": report.region.code, "format": fmt},
        )
    return content
