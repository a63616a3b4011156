"""Every user-facing string is translatable and translated: zh-hans first, English complete
(English is the source language, so its catalogue needs no msgstr)."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ZH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_is_complete():
    po = polib.pofile(str(ZH))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(ZH)):
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            assert set(pattern.findall(text)) == set(pattern.findall(entry.msgid)), entry.msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed (make test installs it)")
def test_makemessages_finds_no_string_missing_from_the_catalogue(tmp_path, settings, monkeypatch):
    # makemessages writes to the catalogue beside the code it scans: it runs in a scratch project
    # (the code linked, the catalogues copied), so a test run never touches the tracked files.
    root = Path(settings.BASE_DIR)
    for name in ("boai", "config"):
        (tmp_path / name).symlink_to(root / name)
    shutil.copytree(root / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        symlinks=True,
        ignore_patterns=["*/tests/*", "*/static/*"],
        no_location=True,
        verbosity=0,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert len(fresh) >= len(polib.pofile(str(ZH))) - 5, "makemessages found the code"
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries() if not e.obsolete]
    assert missing == [], "run `make messages` and translate these"
