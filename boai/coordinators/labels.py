"""Readable names of the coordinators app's audit actions (collected by ``audit.labels``). Workflow
steps are named by the engine; these are the other writes."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # people and applications
    "coordinators.coordinator.exported": _("Coordinators exported"),
    # training
    "coordinators.training.exported": _("Training roster exported"),
    # qualifications
    "coordinators.qualification.reminded": _("Qualification expiry reminder sent"),
    "coordinators.qualification.recorded": _("Coordinator qualification recorded"),
    "coordinators.qualification.exported": _("Qualifications exported"),
    # assessments, awards, on call, overview
    "coordinators.overview.exported": _("Coordinator overview exported"),
}
