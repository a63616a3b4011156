"""A look-up's code with the queue down (Redis stopped): the answer must not tell whether the ID number
is registered, by its timing either. Both cases put one job on the queue (the unregistered one an empty
message the worker drops); with the queue down the SMS goes out from a thread of its own, so the answer
never waits on the SMS gateway for a found record only."""

import threading

import pytest
from kombu.exceptions import OperationalError

from boai.core.sms import send_sms_task
from boai.registry.models import Registration
from boai.registry.services import lookup_send_code
from boai.registry.tests.helpers import resident_id, sms_count

pytestmark = pytest.mark.django_db


def test_found_or_not_a_look_up_queues_the_same_and_never_sends_in_the_answer(
    settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BOAI_SMS_OUTBOX = outbox = tmp_path / "sms-outbox.jsonl"
    attempts = []

    def queue_down(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_sms_task, "apply_async", queue_down)
    senders = []
    original_start = threading.Thread.start

    def held(thread):  # the fallback's thread is started, not run, until the answer is back
        senders.append(thread)

    monkeypatch.setattr(threading.Thread, "start", held)
    registered = Registration.objects.filter(region_id="530102").first()
    with django_capture_on_commit_callbacks(execute=True):
        lookup_send_code(id_number=registered.id_number, ip="10.1.2.3")
    with django_capture_on_commit_callbacks(execute=True):
        lookup_send_code(id_number=resident_id(seq="99"), ip="10.1.2.4")

    assert len(attempts) == 2  # one job each, found or not
    assert sms_count(outbox) == 0  # nothing sent while answering
    assert len(senders) == 2
    for thread in senders:
        original_start(thread)
        thread.join(10)
    assert sms_count(outbox) == 1 and registered.phone in outbox.read_text(encoding="utf-8")
