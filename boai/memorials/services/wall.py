"""The public memorial wall: a family's consent (recorded, changed, withdrawn), the code the family
sends messages with, and the messages themselves (sent by the family, approved or not by staff).

Every write checks its rules first and is saved in one transaction with its audit entry; a refusal
writes nothing. The message code is shown once, to the staff member who hands it to the family; only
its keyed hash (HMAC-SM3, ``lib.crypto.blind_index``) is stored, so it can be checked but not read."""

import re
import secrets
import unicodedata
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from boai.audit.services import audit_log
from boai.care.models import Family, FamilyMember
from boai.core.errors import Conflict, InvalidFields, InvalidInput, RateLimited
from boai.lib import crypto
from boai.lib.text import fold_typed

from ..models import WallEntry, WallMessage

# Eight characters a family can read aloud over the phone: no 0/O, 1/I/L, nor 5/S, 2/Z, 8/B look-alikes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
MESSAGE_MAX = 300
SIGNED_MAX = 32
PENDING_MAX = 5  # messages of one family waiting for staff at once
SHOWN = ("show_name", "show_year", "show_prefecture")
# Characters no message may hold (``lib.text``'s rules for free text, stricter): format characters
# (bidirectional controls, zero-width ones), line and paragraph separators, control characters other
# than the line break, private-use, surrogate and unassigned code points. Full-width spaces stay.
REFUSED = frozenset({"Cf", "Zl", "Zp", "Cc", "Co", "Cs", "Cn"})

# A link, or what a browser or chat app would turn into one: a scheme, "www.", an e-mail address, or a
# domain name ending in a common top-level domain.
_LINK = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|\S+@\S+\.\S+|"
    r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|info|top|xyz|cc|me|io|co|vip|shop|site|link|ly|app)\b)",
    re.IGNORECASE,
)


# A run of 7 or more digits (any script's decimal digits, so full-width ones too), spaces, dashes or
# dots allowed between them: a phone number or an ID number, which the wall must not carry.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-\u2010-\u2015\u2212\uff0d.\uff0e]*\d){6,}")
# Any run of digits, for the moderation queue's highlight (staff notice a number at once).
DIGITS = re.compile(r"\d(?:[\s\-\u2010-\u2015\u2212\uff0d.\uff0e]*\d)*")
WINDOW = 3600  # seconds: the sliding window of the wrong-code limit
PREFIX = 2  # hex characters of the code's hash keyed with the network (256 groups)


def _per_hour() -> int:
    return getattr(settings, "BOAI_WALL_MESSAGES_PER_IP_PER_HOUR", 10)


# --- the message code --------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def code_hash(code: str) -> str:
    return crypto.blind_index(code, purpose="memorial-wall-code")


def normalise_code(typed) -> str:
    """What a family typed as their code: spaces and dashes dropped, full-width folded, upper case."""
    return fold_typed(typed, drop="-_.·", limit=40)


def show_code(code: str) -> str:
    """The code as printed for the family, in two groups of four: "ACDE-FGHJ"."""
    return f"{code[:4]}-{code[4:]}"


# --- consent -----------------------------------------------------------------------------------------


def wall_consent_record(
    *,
    family: Family,
    actor,
    member: FamilyMember | None,
    consented_on: date | None,
    show_name: bool,
    show_year: bool,
    show_prefecture: bool,
    now: datetime | None = None,
) -> tuple[WallEntry, str]:
    """Record the family's consent to show their donor on the wall; returns the entry and the message
    code (in clear, to show once). One entry per family: refused while a consent is given; after a
    withdrawal the family may consent again (the same entry, the new consent recorded, a new code)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = []
    if member is None or member.family_id != family.pk or not member.active:
        errors.append(("member", _("Choose the family member who gave the consent.")))
    if consented_on is None:
        errors.append(("consented_on", _("Enter the date the consent was given.")))
    elif consented_on > today:
        errors.append(("consented_on", _("The date of the consent cannot be in the future.")))
    elif consented_on < family.donated_on:
        errors.append(("consented_on", _("The date of the consent cannot be before the donation.")))
    if errors:
        raise InvalidFields(errors)
    code = new_code()
    try:
        with transaction.atomic():
            # the family row is locked: two staff recording the same consent queue here
            Family.objects.select_for_update().get(pk=family.pk)
            entry = WallEntry.objects.filter(family=family).first()
            if entry is not None and not entry.withdrawn_at:
                raise Conflict(
                    _(
                        "A consent for this family is already recorded. Open it to change what is shown "
                        "or to withdraw it."
                    ),
                    code="memorials.wall.exists",
                )
            values = {
                "consented_by": str(member)[:64],
                "consented_on": consented_on,
                "show_name": bool(show_name),
                "show_year": bool(show_year),
                "show_prefecture": bool(show_prefecture),
                "message_code_hash": code_hash(code),
            }
            renewed = entry is not None
            if renewed:  # the family withdrew, then consented again: the same entry, a new consent
                withdrawn_at = entry.withdrawn_at
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.withdrawn_at = None
                entry.save(update_fields=[*values, "withdrawn_at", "updated_at"])
            else:
                entry = WallEntry.objects.create(family=family, created_by=actor, **values)
            changes = {
                "family": family.reference,
                "member": member.pk,
                "consented_on": consented_on.isoformat(),
                **{name: getattr(entry, name) for name in SHOWN},
            }
            if renewed:
                changes["after_withdrawal_at"] = withdrawn_at.isoformat()
            audit_log(action="memorials.wall.consented", actor=actor, obj=entry, changes=changes, now=now)
    except IntegrityError as exc:
        raise Conflict(_("A consent for this family is already recorded."), code="memorials.wall.exists") from exc
    return entry, code


def _locked_live(entry: WallEntry) -> WallEntry:
    locked = WallEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.withdrawn_at:
        raise Conflict(_("The consent was withdrawn: nothing more can be changed."))
    return locked


def wall_entry_change(
    *, entry: WallEntry, actor, show_name: bool, show_year: bool, show_prefecture: bool, now: datetime | None = None
) -> WallEntry:
    """Change what the wall shows, as the family wishes; the wall shows it from the next page load."""
    wanted = {"show_name": bool(show_name), "show_year": bool(show_year), "show_prefecture": bool(show_prefecture)}
    with transaction.atomic():
        locked = _locked_live(entry)
        before = {name: getattr(locked, name) for name in SHOWN}
        if before == wanted:
            raise InvalidInput(_("Nothing was changed."))
        for name, value in wanted.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*SHOWN, "updated_at"])
        audit_log(
            action="memorials.wall.changed",
            actor=actor,
            obj=locked,
            changes={name: [before[name], wanted[name]] for name in SHOWN if before[name] != wanted[name]},
            now=now,
        )
    return locked


def wall_consent_withdraw(*, entry: WallEntry, actor, now: datetime | None = None) -> WallEntry:
    """The family withdrew their consent: the entry and its messages leave the wall at once, and the
    code no longer sends messages."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WallEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.withdrawn_at:
            raise Conflict(_("The consent was already withdrawn."))
        locked.withdrawn_at = now
        locked.message_code_hash = ""
        locked.save(update_fields=["withdrawn_at", "message_code_hash", "updated_at"])
        audit_log(action="memorials.wall.withdrawn", actor=actor, obj=locked, now=now)
    return locked


def wall_code_renew(*, entry: WallEntry, actor, now: datetime | None = None) -> str:
    """A new message code for a family that lost theirs (the old one stops working); shown once."""
    code = new_code()
    with transaction.atomic():
        locked = _locked_live(entry)
        locked.message_code_hash = code_hash(code)
        locked.save(update_fields=["message_code_hash", "updated_at"])
        audit_log(action="memorials.wall.code_renewed", actor=actor, obj=locked, now=now)
    return code


# --- messages ------------------------------------------------------------------------------------------


def _text_problem(text: str, *, what: str) -> str | None:
    """Why ``text`` (line breaks allowed) cannot go on the wall: hidden or format characters, or a link."""
    hidden = list(
        dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if ch != "\n" and unicodedata.category(ch) in REFUSED)
    )
    if hidden:
        return _(
            "The %(what)s contains invisible or special characters (%(chars)s). Please type it again "
            "instead of pasting it."
        ) % {"what": what, "chars": ", ".join(hidden[:5])}
    if _LINK.search(text):
        return _("The %(what)s cannot contain a web address or an e-mail address.") % {"what": what}
    return None


def _limit_key(ip: str | None, hashed: str) -> str:
    """Wrong codes are counted per network AND per group of codes (the first characters of the code's
    keyed hash): someone guessing on a shared network fills the groups of their guesses, not the one
    a family's right code falls in, so the family is not locked out by what others typed."""
    return f"memorial-wall-wrong:{ip or 'unknown'}:{hashed[:PREFIX]}"


def _recent(key: str, now: datetime) -> list[float]:
    stamp = now.timestamp()
    return [t for t in cache.get(key, []) if stamp - t < WINDOW]


def _check_limit(key: str, now: datetime) -> None:
    """Refused while the last hour (a sliding window) holds the limit of wrong codes, saying how long."""
    recent = _recent(key, now)
    if len(recent) >= _per_hour():
        wait = max(1, -(-int(min(recent) + WINDOW - now.timestamp()) // 60))
        raise RateLimited(
            ngettext(
                "Too many wrong codes were typed from this network. Please try again in %(n)d minute.",
                "Too many wrong codes were typed from this network. Please try again in %(n)d minutes.",
                wait,
            )
            % {"n": wait}
        )


def _count_wrong(key: str, now: datetime) -> None:
    recent = _recent(key, now)
    cache.set(key, [*recent, now.timestamp()], WINDOW + 60)


def _a_date_or_years(groups: list[str]) -> bool:
    """A date ("2024-04-04", "2024.4.4") or a span of years ("1958-2024"), which families do write."""
    if not groups or len(groups[0]) != 4 or not 1900 <= int(groups[0]) <= 2099:
        return False
    if len(groups) == 2:
        return len(groups[1]) == 4 and 1900 <= int(groups[1]) <= 2099
    return len(groups) == 3 and 1 <= int(groups[1]) <= 12 and 1 <= int(groups[2]) <= 31 and len(groups[2]) <= 2


def has_long_number(text: str) -> bool:
    """A run of 7 or more digits (full-width too, spaces or dashes inside): a phone or ID number."""
    for match in _DIGIT_RUN.finditer(text):
        groups = [unicodedata.normalize("NFKC", g) for g in re.findall(r"\d+", match.group())]
        if not _a_date_or_years(groups):
            return True
    return False


def wall_message_submit(
    *, code: str, text: str, signed: str, ip: str | None, now: datetime | None = None
) -> WallMessage:
    """A family's message for the wall, sent with their code; it waits for staff. Every attempt counts
    wrong CODE counts toward the limit of the sender's network and code group (a sliding hour), so
    codes cannot be guessed; an empty or too long message is not an attempt."""
    now = now or timezone.now()
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    signed = str(signed or "").strip()
    typed = normalise_code(code)
    errors = []
    if not typed:
        errors.append(("code", _("Enter the message code the Red Cross staff gave your family.")))
    if not text:
        errors.append(("text", _("Write your message.")))
    elif len(text) > MESSAGE_MAX:
        errors.append(
            (
                "text",
                _("The message is too long: at most %(max)d characters, it has %(n)d.")
                % {"max": MESSAGE_MAX, "n": len(text)},
            )
        )
    elif problem := _text_problem(text, what=_("message")):
        errors.append(("text", problem))
    elif has_long_number(text):
        errors.append(("text", _("Please do not write phone numbers or ID numbers in the message.")))
    if len(signed) > SIGNED_MAX:
        errors.append(("signed", _("The signature is too long: at most %(max)d characters.") % {"max": SIGNED_MAX}))
    elif "\n" in signed or (problem := _text_problem(signed, what=_("signature"))):
        errors.append(("signed", problem or _("Write the signature on one line.")))
    elif has_long_number(signed):
        errors.append(("signed", _("Please do not write phone numbers or ID numbers in the message.")))
    if errors:
        raise InvalidFields(errors)
    hashed = code_hash(typed)
    key = _limit_key(ip, hashed)
    _check_limit(key, now)
    with transaction.atomic():
        entry = (
            WallEntry.objects.select_for_update()
            .filter(message_code_hash=hashed, withdrawn_at__isnull=True)
            .exclude(message_code_hash="")
            .first()
        )
        if entry is None:
            _count_wrong(key, now)
            raise InvalidInput(
                _(
                    "This code is not right. Check the code on the slip the Red Cross staff gave your family, "
                    "or ask them for a new one."
                ),
                field="code",
            )
        if entry.messages.filter(state=WallMessage.State.PENDING).count() >= PENDING_MAX:
            raise Conflict(
                _("Your family's earlier messages are still waiting to be checked. Please send this one later."),
            )
        message = WallMessage.objects.create(entry=entry, text=text, signed=signed, submitted_at=now)
        audit_log(action="memorials.wall.message_sent", obj=message, changes={"length": len(text)}, now=now)
    return message


def wall_message_decide(*, message: WallMessage, actor, approve: bool, now: datetime | None = None) -> WallMessage:
    """Publish a waiting message on the wall, or not (it is then kept, never shown)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WallMessage.objects.select_for_update().select_related("entry").get(pk=message.pk)
        if locked.state != WallMessage.State.PENDING:
            raise Conflict(_("This message was already decided."), code="memorials.wall.decided")
        if approve and locked.entry.withdrawn_at:
            raise Conflict(_("The family withdrew their consent: the message cannot be published."))
        locked.state = WallMessage.State.APPROVED if approve else WallMessage.State.REJECTED
        locked.decided_by = actor
        locked.decided_at = now
        locked.save(update_fields=["state", "decided_by", "decided_at"])
        audit_log(
            action="memorials.wall.message_approved" if approve else "memorials.wall.message_rejected",
            actor=actor,
            obj=locked,
            object_repr=str(locked.entry),
            now=now,
        )
    return locked
