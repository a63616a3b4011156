"""The layers hold: import-linter's contracts pass, no module circle exists, and the layer picture
in docs/architecture.md is the one the contracts declare."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run(*args):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_import_linter_contracts_hold():
    result = run(str(Path(sys.executable).parent / "lint-imports"), "--no-logo", "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_through_a_circle():
    result = run(sys.executable, "scripts/imports_report.py")
    assert result.returncode == 0, result.stdout
    assert "import circles: 0" in result.stdout


def test_the_layer_picture_in_the_architecture_page_is_up_to_date():
    result = run(sys.executable, "scripts/layers_doc.py", "--check")
    assert result.returncode == 0, result.stdout
