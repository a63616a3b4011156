"""docs/figures.md is what ``manage.py figures_doc`` writes from the declared figures."""

from boai.core.figures import figures
from boai.stats.management.commands.figures_doc import TARGET, render
from boai.stats.selectors.annual import PUBLISHED


def test_the_doc_is_up_to_date():
    assert TARGET.read_text(encoding="utf-8") == render(), "run `make docs` (python manage.py figures_doc)"


def test_the_doc_names_every_figure_with_its_chinese_label_and_its_api_name():
    text = render()
    for code in figures():
        assert f"| `{code}` |" in text
    assert "| `registry.registrations` | Intent registrations<br>意愿登记 |" in text
    for name, code in PUBLISHED:
        line = next(row for row in text.splitlines() if row.startswith(f"| `{code}` |"))
        assert f"`{name}`" in line
    assert "Asia/Shanghai" in text


def test_every_published_figure_exists():
    assert {code for _name, code in PUBLISHED} <= set(figures())
