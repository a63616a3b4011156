"""A fundraising export checked but never confirmed does not stay on the server: the daily job removes
it a day later, and leaves a file still waiting for its confirmation."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from ..services import fundraising as services
from ..tasks import BEAT, checked_files_sweep

pytestmark = pytest.mark.django_db


def test_a_file_checked_a_day_ago_is_removed_and_a_new_one_kept(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    _token, old = services.checked_file_keep(b"\xe6\x97\xa5\xe6\x9c\x9f,amount\n")
    _token, new = services.checked_file_keep(b"day,amount\n")
    path = services.encrypted_storage().path(old)
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))
    assert services.checked_file_read(new, sha256="0" * 64) is None  # not the file checked: refused
    assert checked_files_sweep() == 1
    assert not os.path.exists(path)
    assert os.path.exists(services.encrypted_storage().path(new))
    assert services.checked_files_sweep(now=timezone.now() + timedelta(days=2)) == 1
    assert "outreach-checked-files-sweep" in BEAT


def test_nothing_to_sweep_when_nothing_was_ever_checked(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert services.checked_files_sweep() == 0
