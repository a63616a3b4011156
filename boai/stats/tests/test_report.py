"""The annual report: its figures and sentences, the Word file and the PDF (read back), the five-year
summary, the area a user may report on, and refusals of bad input."""

import io
import subprocess

import pytest
from docx import Document
from PIL import Image

from boai.audit.models import AuditEntry
from boai.core.figures import figure
from boai.core.models import Region
from boai.core.tests.personas import user
from boai.lib.png_charts import bar_chart_png, column_chart_png
from boai.stats.selectors.annual import PUBLISHED
from boai.stats.selectors.report import annual_report, number
from boai.stats.services.report import build_pdf, charts

pytestmark = pytest.mark.django_db
URL = "/workspace/stats/report/"
DOWNLOAD = "/workspace/stats/report/download/"


def client_for(client, username):
    client.force_login(user(username))
    return client


def pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def province():
    return Region.objects.get(code="530000")


def test_the_report_says_each_published_figure_as_the_figures_count_it():
    report = annual_report(province(), 2025)
    for name, code in PUBLISHED:
        assert report.totals[name] == figure(code).count(2025, "53"), name
    assert report.totals["registrations"] == 12  # the demo's registrations of 2025
    # the prefectures' rows add up to the province's figure
    assert sum(v["registrations"] for _r, v in report.rows) == 12
    assert {r.code for r, _v in report.rows} == set(
        Region.objects.filter(level="prefecture", code__startswith="53").values_list("code", flat=True)
    )
    assert sum(n for _m, n in report.months) == 12


def test_the_sentences_use_thousands_separators(english):
    totals = {name: 0 for name, _code in PUBLISHED} | {
        "organ_donations": 121,
        "organ_beneficiaries": 623,
        "body_donations": 74,
        "registrations": 17615,
    }
    from boai.stats.selectors.report import sentences

    first = sentences(totals, area="Yunnan", first=2025, last=2025)[0]
    assert first == (
        "In 2025, Yunnan completed 121 organ donations benefiting 623 people, 74 body donations and 17,615"
        " intent registrations."
    )
    five = sentences(
        totals | {"registrations": 140900, "organ_donations": 334, "body_donations": 178},
        area="Yunnan",
        first=2021,
        last=2025,
    )
    assert five == [
        "From 2021 to 2025, Yunnan recorded 140,900 intent registrations, 334 organ donations and 178 body donations."
    ]


def test_the_page_previews_the_sentences_and_links_the_downloads(client, english):
    page = client_for(client, "prov_admin").get(URL, {"year": 2025, "region": "530000"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "In 2025, 云南省 completed" in html
    assert "12 intent registrations" in html
    assert f"{DOWNLOAD}?year=2025&amp;year_to=2025&amp;region=530000&amp;format=pdf" in html
    assert "format=docx" in html


def test_the_pdf_holds_the_figures_the_sentences_and_the_area_names_in_chinese(client, tmp_path):
    response = client_for(client, "prov_admin").get(DOWNLOAD, {"year": 2025, "region": "530000", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="annual-report-530000-2025.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "云南省" in text and "昆明市" in text and "曲靖市" in text  # the title and the prefectures' table
    report = annual_report(province(), 2025)
    # the first sentence, as the report writes it (the catalogue's wording), whole in the PDF's text
    flat = "".join(text.split())
    assert "".join(report.sentences[0].split()) in flat
    assert "2025" in text
    (tmp_path / "report.pdf").write_bytes(response.content)
    entry = AuditEntry.objects.filter(action="stats.report.exported").latest("id")
    assert entry.changes == {"year": 2025, "last_year": 2025, "region": "530000", "format": "pdf"}
    # every glyph from the Chinese files, which hold the Latin letters too (with the shared two-file family,
    # regular Chinese text came out blank while pdftotext still read it)
    fonts = subprocess.run(["pdffonts", "report.pdf"], cwd=tmp_path, capture_output=True, check=True).stdout.decode()
    assert "Boai-Report" in fonts and "Boai-Sans" not in fonts
    # its first page as an image (as docs/annual-report.png was made)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    image = Image.open(tmp_path / "page.png")
    assert image.width > 400


def test_the_word_file_holds_the_sentences_the_tables_and_the_charts(client, english):
    response = client_for(client, "kunming_staff").get(DOWNLOAD, {"year": 2025, "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(response.content))
    text = docx_text(doc)
    kunming = Region.objects.get(code="530100")
    report = annual_report(kunming, 2025)
    assert report.sentences[0] in text
    assert report.sentences[0].startswith("In 2025, 昆明市 completed")
    assert "五华区" in text  # the counties' table of a prefecture's report
    assert "曲靖市" not in text
    registrations = [row for table in doc.tables for row in table.rows if row.cells[0].text == "Intent registrations"]
    assert registrations and registrations[0].cells[1].text == number(report.totals["registrations"])
    images = [rel for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 2  # by county, by month
    assert all(Image.open(io.BytesIO(rel.target_part.blob)).format == "PNG" for rel in images)


def test_the_five_year_summary_sums_the_years(english):
    report = annual_report(province(), 2021, 2025)
    for name, code in PUBLISHED:
        assert report.totals[name] == sum(figure(code).count(y, "53") for y in range(2021, 2026)), name
    assert [y for y, _row in report.years] == [2021, 2022, 2023, 2024, 2025]
    assert report.months == []
    assert report.sentences[0].startswith("From 2021 to 2025, 云南省 recorded")
    assert f"{number(report.totals['registrations'])} intent registrations" in report.sentences[0]
    captions = [c for c, _png in charts(report)]
    assert "Intent registrations by year" in captions
    text = pdf_text(build_pdf(report))
    assert "2021" in text and "2024" in text and "Total" in text


def test_a_prefecture_user_reports_on_their_prefecture_only(client, english):
    c = client_for(client, "kunming_staff")
    page = c.get(URL)
    assert page.status_code == 200
    options = page.context["form"].fields["region"].widget.choices
    assert options[0][0] == "530100"
    assert all(code.startswith("5301") for code, _name in options)
    refused = c.get(DOWNLOAD, {"year": 2025, "region": "530300", "format": "pdf"})
    assert refused.status_code == 400
    assert "The region 530300 is outside your area." in refused.content.decode()
    assert not AuditEntry.objects.filter(action="stats.report.exported").exists()


def test_refusals_are_clear_messages(client, english):
    c = client_for(client, "prov_admin")
    for params, message in (
        ({"year": 1990}, "Give a year from 2000 to"),
        ({"year": "abc"}, "Give a year from 2000 to"),
        ({"year": ""}, "Give the year, such as 2025."),
        ({"year": 2025, "year_to": 2021}, "The last year cannot come before the first."),
        ({"year": 2001, "year_to": 2025}, "A period is at most 10 years."),
        ({"year": 2025, "region": "539999"}, "No region has the code 539999."),
        ({"year": 2025, "region": "5300"}, "No region has the code 5300."),
    ):
        page = c.get(URL, params)
        assert page.status_code == 400, params
        assert message in page.content.decode(), params
    bad_format = c.get(DOWNLOAD, {"year": 2025, "format": "exe"})
    assert bad_format.status_code == 400
    assert "Choose PDF or Word." in bad_format.content.decode()
    assert not AuditEntry.objects.filter(action="stats.report.exported").exists()


def test_a_coordinator_sees_the_page_but_downloads_nothing(client):
    c = client_for(client, "coordinator")
    assert c.get(URL).status_code == 200
    assert "report-downloads" not in c.get(URL).content.decode()
    assert c.get(DOWNLOAD, {"year": 2025, "format": "pdf"}).status_code == 403


def test_the_charts_are_pngs_with_chinese_labels():
    png = bar_chart_png("登记人数", ["昆明市", "西双版纳傣族自治州", "Qujing"], [17615, 3, 0])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 1200
    # something is drawn in the bars' red
    assert (200, 16, 46) in {px for _n, px in image.getcolors(100000)}
    months = column_chart_png("按月", [str(m) for m in range(1, 13)], list(range(12)))
    assert Image.open(io.BytesIO(months)).size == (1200, 520)
