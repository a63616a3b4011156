"""Applications to become a coordinator: submitting one (with its scanned documents), each level's
decision, withdrawal, and the province's review settings. Every write checks its rules here, in one
transaction with its audit entry; the review steps go through the workflow engine
(``coordinators.workflow``)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import actor_has_perm, check_perm
from boai.accounts.scoping import sees
from boai.audit.services import audit_log
from boai.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from boai.core.models import Attachment, Region
from boai.core.services import attachment_store
from boai.core.workflow import rules_check, transition_guard, transition_take

from ..models import Application, ApplicationReview, Coordinator, ReviewLevel, ReviewSettings
from ..selectors.applications import DOCUMENT_KIND, submit_refusal
from ..workflow import APPLICATION, current_level, is_last_level

MAX_DOCUMENTS = 10
RANK = {ReviewLevel.COUNTY: 0, ReviewLevel.PREFECTURE: 1, ReviewLevel.PROVINCE: 2}
AREA_RANK = {Region.Level.COUNTY: 0, Region.Level.PREFECTURE: 1, Region.Level.PROVINCE: 2}


# --- settings ---------------------------------------------------------------------------------------


def review_settings() -> ReviewSettings:
    """The province's one settings row, made with the defaults the first time it is asked for."""
    row = ReviewSettings.objects.order_by("pk").first()
    if row is None:
        with transaction.atomic():
            row, _created = ReviewSettings.objects.get_or_create(pk=1)
    return row


def settings_update(*, actor, levels: list[str], expiry_warning_days: int, now=None) -> ReviewSettings:
    """The review levels (in order, at least one, each once) and how many days ahead (1–365) an expiring
    qualification is put on the work list. Applications already under way keep their levels."""
    check_perm(actor, "coordinators.settings")
    levels = [str(level) for level in levels if level]
    if not levels:
        raise InvalidInput(_("Choose at least one review level."), field="levels")
    if any(level not in RANK for level in levels):
        raise InvalidInput(_("Unknown review level."), field="levels")
    if len(set(levels)) != len(levels):
        raise InvalidInput(_("Each review level may be chosen only once."), field="levels")
    if levels != sorted(levels, key=RANK.__getitem__):  # county before prefecture before province
        raise InvalidInput(
            _("Put the review levels in order from the bottom up: county, then prefecture, then province."),
            field="levels",
        )
    if not isinstance(expiry_warning_days, int) or not 1 <= expiry_warning_days <= 365:
        raise InvalidInput(_("Give a number of days from 1 to 365."), field="expiry_warning_days")
    now = now or timezone.now()
    with transaction.atomic():
        row = review_settings()
        row = ReviewSettings.objects.select_for_update().get(pk=row.pk)
        before = {"levels": row.levels, "expiry_warning_days": row.expiry_warning_days}
        row.levels = ",".join(levels)
        row.expiry_warning_days = expiry_warning_days
        row.updated_by, row.updated_at = actor, now
        row.save()
        after = {"levels": row.levels, "expiry_warning_days": row.expiry_warning_days}
        audit_log(
            action="coordinators.settings.changed",
            actor=actor,
            obj=row,
            object_repr=str(_("Coordinator settings")),
            changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
            now=now,
        )
    return row


def levels_for(area: Region, configured: list[str]) -> list[str]:
    """The configured levels an applicant of ``area`` goes through: those below their own area are skipped
    (a prefecture's applicant starts at the prefecture level, the province's only at the province)."""
    own = AREA_RANK.get(area.level, 0)
    return [level for level in configured if RANK[level] >= own]


# --- submitting -------------------------------------------------------------------------------------


def application_submit(*, actor, coordinator: Coordinator, motivation: str = "", documents=(), now=None) -> Application:
    """Submit an application for ``coordinator`` with its scanned documents (PDF, JPEG or PNG, kept
    encrypted). The levels are copied from the settings, skipping those below the applicant's area. The
    applicant's row is locked while the rules are checked, and the database keeps one open application per
    person: two clerks submitting at once leave one application."""
    now = now or timezone.now()
    motivation = (motivation or "").strip()
    documents = [d for d in documents if d]
    if len(motivation) > 2000:
        raise InvalidInput(_("Keep the motivation under 2000 characters."), field="motivation")
    if not documents:
        raise InvalidInput(_("Attach at least one scanned document."), field="documents")
    if len(documents) > MAX_DOCUMENTS:
        raise InvalidInput(_("Attach at most %(n)d documents.") % {"n": MAX_DOCUMENTS}, field="documents")
    try:
        with transaction.atomic():
            locked = Coordinator.objects.select_for_update().select_related("region").get(pk=coordinator.pk)
            refusal = submit_refusal(actor=actor, coordinator=locked)
            if refusal is not None:
                raise refusal
            levels = levels_for(locked.region, review_settings().level_list())
            if not levels:
                raise Conflict(
                    _(
                        "Refused by rule coordinators.review_levels: no configured review level covers an "
                        "applicant of this area; the province's settings must name one."
                    ),
                    code="coordinators.review_levels",
                )
            application = Application.objects.create(
                coordinator=locked,
                levels=",".join(levels),
                level=0,
                motivation=motivation,
                submitted_at=now,
                submitted_by=actor,
            )
            for upload in documents:
                try:
                    attachment_store(owner=application, kind=DOCUMENT_KIND, upload=upload, actor=actor, now=now)
                except InvalidInput as exc:
                    raise InvalidInput(
                        _("%(file)s: %(message)s") % {"file": getattr(upload, "name", ""), "message": exc.message},
                        field="documents",
                    ) from exc
            changes = {"levels": application.levels, "documents": len(documents)}
            if locked.state != Coordinator.State.APPLICANT:
                changes["coordinator_state"] = [locked.state, Coordinator.State.APPLICANT]
                locked.state = Coordinator.State.APPLICANT
                locked.version += 1
                locked.save(update_fields=["state", "version", "updated_at"])
            audit_log(action=APPLICATION.action(None), actor=actor, obj=application, changes=changes, now=now)
    except IntegrityError as exc:  # a second application submitted at the same moment
        raise Conflict(
            _("Refused by rule coordinators.one_open_application: an application of this person is still in review."),
            code="coordinators.one_open_application",
        ) from exc
    return application


# --- deciding ---------------------------------------------------------------------------------------


def review_refusal(*, actor, application: Application) -> DomainError | None:
    """Why ``actor`` may not decide ``application`` now (None: the review form is theirs)."""
    try:
        step = transition_guard(APPLICATION, application, to=Application.State.REJECTED, actor=actor, version=None)
        rules_check(step.rules, application, {}, actor)
    except DomainError as exc:
        return exc
    if not sees(actor, application, perm="coordinators.review"):
        return NotAllowed(_("This application is outside your area."))
    return None


def application_review(
    *, actor, application: Application, decision: str, reason: str = "", version: int | None, now=None
) -> Application:
    """One level's decision: approved (on to the next level, or approved at the last) or rejected with a
    reason (the application ends; the applicant is rejected). Only the branch of the level now reviewing,
    whose area covers the applicant's, decides."""
    if decision not in ApplicationReview.Decision.values:
        raise InvalidInput(_("Choose approve or reject."), field="decision")
    # Whoever is not the branch of the level now reviewing (another county, a level too early or too late)
    # is refused by the workflow's rule coordinators.review_level, with its text.
    if decision == ApplicationReview.Decision.REJECTED:
        to = Application.State.REJECTED
    else:
        to = "passed" if not is_last_level(application) else Application.State.APPROVED
    return transition_take(
        application,
        to=to,
        actor=actor,
        version=version,
        now=now,
        data={"reason": (reason or "").strip()},
        flow=APPLICATION,
    )


def withdraw_refusal(*, actor, application: Application) -> DomainError | None:
    try:
        step = transition_guard(APPLICATION, application, to=Application.State.WITHDRAWN, actor=actor, version=None)
        rules_check(step.rules, application, {}, actor)
    except DomainError as exc:
        return exc
    if not sees(actor, application, perm="coordinators.manage"):
        return NotAllowed(_("This application is outside your area."))
    return None


def application_withdraw(*, actor, application: Application, version: int | None, now=None) -> Application:
    """Withdraw an application before any level has decided it."""
    if not sees(actor, application, perm="coordinators.manage") and actor_has_perm(actor, "coordinators.manage"):
        raise NotAllowed(_("This application is outside your area."))
    return transition_take(
        application, to=Application.State.WITHDRAWN, actor=actor, version=version, now=now, flow=APPLICATION
    )


@transaction.atomic
def application_document_viewed(*, application: Application, attachment: Attachment, actor) -> None:
    audit_log(
        action="core.attachment.viewed",
        actor=actor,
        obj=application,
        changes={"kind": attachment.kind, "sha256": attachment.sha256},
    )


__all__ = [
    "DOCUMENT_KIND",
    "application_document_viewed",
    "application_review",
    "application_submit",
    "application_withdraw",
    "current_level",
    "levels_for",
    "review_refusal",
    "review_settings",
    "settings_update",
    "submit_refusal",
    "withdraw_refusal",
]
