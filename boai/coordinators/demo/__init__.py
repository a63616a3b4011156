"""The coordinators' demo data (``load_demo``; also the tests' baseline): coordinators in every state
(applicant, in training, qualified, suspended, expiring soon), a national and a provincial class, and
the assessments, awards and on-call roster that go with them. The demo account ``coordinator`` is a
qualified coordinator, so the demo cases' witnesses pass the witness rule; the app is therefore listed
before ``cases`` in ``INSTALLED_APPS`` (demo data loads in that order)."""

from boai.coordinators.models import Coordinator


def load() -> bool:
    if Coordinator.objects.exists():
        return False
    from . import applications, people, practice, training

    people.load()
    applications.load()
    training.load()
    practice.load()
    return Coordinator.objects.exists()
