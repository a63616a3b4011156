"""Readable names of the coordinators app's audit actions (collected by ``audit.labels``). Workflow
steps are named by the engine; these are the other writes."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # people and applications
    "coordinators.coordinator.exported": _("Coordinators exported"),
    "coordinators.settings.changed": _("Coordinator settings changed"),
    "coordinators.coordinator.created": _("Coordinator record created"),
    "coordinators.coordinator.changed": _("Coordinator record changed"),
    "coordinators.coordinator.revealed": _("Coordinator's contacts viewed in full"),
    "coordinators.coordinator.account_linked": _("Staff account linked to the coordinator record"),
    "coordinators.coordinator.account_unlinked": _("Staff account unlinked from the coordinator record"),
    "coordinators.application.exported": _("Coordinator applications exported"),
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
    "coordinators.class.exported": _("Training classes exported"),
    "coordinators.enrolment.exported": _("Training enrolments exported"),
    "coordinators.attendance.exported": _("Training attendance exported"),
    # qualifications
    "coordinators.qualification.reminded": _("Qualification expiry reminder sent"),
    "coordinators.qualification.recorded": _("Coordinator qualification recorded"),
    "coordinators.qualification.exported": _("Qualifications exported"),
    # assessments, awards, on call, overview
    "coordinators.overview.exported": _("Coordinator overview exported"),
    "coordinators.shift.added": _("On-call shift added"),
    "coordinators.shift.ended": _("On-call shift ended"),
    "coordinators.shift.deleted": _("On-call shift deleted"),
    "coordinators.contact.viewed": _("Coordinators' phone numbers viewed"),
    "coordinators.assessment.recorded": _("Coordinator assessment recorded"),
    "coordinators.assessment.evidence_viewed": _("Assessment evidence opened"),
    "coordinators.award.recorded": _("Award recorded"),
    "coordinators.assessment.exported": _("Coordinator assessments exported"),
    "coordinators.award.exported": _("Awards exported"),
    "coordinators.shift.exported": _("On-call roster exported"),
}
