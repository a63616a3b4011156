"""A large list is checked half in this process and half in a forked child, and imported while the child
prepares the next batches (boai.lib.forked): the result is exactly that of one process, and a child that
fails only makes it slower."""

import os
from datetime import date

import pytest
from django.db import transaction

from boai.core.tests.personas import user
from boai.registry.models import ConsentRecord, Registration
from boai.registry.services import import_job_check, import_job_commit, import_job_create
from boai.registry.services import imports as importing
from boai.registry.tests.helpers import resident_id

from .test_import_export import row, xlsx

pytestmark = pytest.mark.django_db

ROWS = [
    row("赵一", resident_id(seq="01")),
    row("钱二", resident_id(seq="03", sex="F"), phone="13800002223"),
    row("孙三", resident_id(born=date(2012, 5, 1), seq="07")),  # a minor: refused
    row("李四", resident_id(seq="09"), phone="13800002224"),
    row("周五", resident_id(seq="11"), region="530302"),  # outside Wuhua: refused
    row("赵一", resident_id(seq="01")),  # the same person as row 2, in the other half
    row("吴六", resident_id(seq="13"), phone="13800002225"),
]


def run_import(settings, fork_rows):
    settings.BOAI_IMPORT_FORK_ROWS, settings.BOAI_IMPORT_BATCH = fork_rows, 2
    clerk = user("wuhua_staff")
    job = import_job_create(actor=clerk, upload=xlsx(ROWS), consent_confirmed=True)
    checked = import_job_check(job_id=job.pk)
    outcome = (checked.valid_rows, checked.error_rows, [(e["row"], e["message"]) for e in checked.errors])
    done = import_job_commit(job_id=job.pk, actor=clerk, valid_only=True)
    stored = sorted(
        (r.name, r.id_number, r.phone, r.region_id, bool(r.verify_code))
        for r in Registration.objects.filter(number__startswith="YN", channel=done.channel, name__in=NAMES)
    )
    consents = ConsentRecord.objects.filter(registration__name__in=NAMES).count()
    return outcome, done.imported_rows, stored, consents


NAMES = ["赵一", "钱二", "李四", "吴六"]


class RolledBack(Exception):
    pass


@pytest.fixture
def one_process(settings):
    """The same list imported in one process, then rolled back (the same people are imported again)."""
    try:
        with transaction.atomic():
            result = run_import(settings, fork_rows=10**9)
            raise RolledBack
    except RolledBack:
        return result


def test_two_cores_give_exactly_what_one_gives(settings, one_process):
    parent = os.getpid()
    forked = run_import(settings, fork_rows=1)
    assert forked == one_process
    outcome, imported, stored, consents = forked
    assert imported == 4 and consents == 4 and len(stored) == 4
    assert (7, "同一人已在本文件第 2 行。") in outcome[2]  # the same person as row 2, found across the halves
    assert os.getpid() == parent  # (the child never came back here)


def test_a_child_that_fails_leaves_the_work_to_this_process(settings, monkeypatch, one_process):
    parent = os.getpid()
    validate, build = importing.validate_person, importing.registration_from_data

    def fails_in_the_child(real):
        def call(*args, **kwargs):
            if os.getpid() != parent:
                raise MemoryError("the child ran out of memory")
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(importing, "validate_person", fails_in_the_child(validate))
    monkeypatch.setattr(importing, "registration_from_data", fails_in_the_child(build))
    assert run_import(settings, fork_rows=1) == one_process
