"""The audit log's panel on the workspace home page (``lib.home``): what the auditors read first."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel

from .selectors import entry_counts_since


def audit_items(user):
    today = timezone.localdate()
    counts = entry_counts_since(today)
    base = reverse("audit:list")
    yield HomeItem(_("Audit entries today"), f"{base}?date_from={today.isoformat()}", counts["all"])
    yield HomeItem(_("Refused actions today"), f"{base}?date_from={today.isoformat()}&success=0", counts["refused"])
    yield HomeItem(_("Check that the audit log is intact"), reverse("audit:verify"))


PANELS = [HomePanel(order=5, title=gettext_lazy("Audit log"), perm="audit.view", items=audit_items)]
