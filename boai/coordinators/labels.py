"""Readable names of the coordinators app's audit actions (collected by ``audit.labels``). Workflow
steps are named by the engine; these are the other writes."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # people and applications
    "coordinators.coordinator.exported": _("Coordinators exported"),
    # training
    "coordinators.training.exported": _("Training roster exported"),
    "coordinators.course.created": _("Training course added"),
    "coordinators.class.created": _("Training class added"),
    "coordinators.class.changed": _("Training class changed"),
    "coordinators.session.added": _("Training session added"),
    "coordinators.enrolment.created": _("Coordinator enrolled in a class"),
    "coordinators.attendance.recorded": _("Training attendance recorded"),
    "coordinators.attendance.corrected": _("Training attendance corrected"),
    "coordinators.enrolment.result": _("Training result recorded"),
    "coordinators.training.certificate_printed": _("Training certificate printed"),
    # qualifications
    "coordinators.qualification.reminded": _("Qualification expiry reminder sent"),
    # assessments, awards, on call, overview
    "coordinators.overview.exported": _("Coordinator overview exported"),
}
