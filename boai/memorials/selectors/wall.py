"""Reads of the memorial wall: the public cards (only what each family consented to), and the staff's
lists (the entries, the families that may give consent, the messages waiting for approval), scoped."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from boai.accounts.scoping import visible
from boai.care.models import Family
from boai.core.models import Region

from ..models import WallEntry, WallMessage

SEARCH_MAX = 32


@dataclass
class PublicMessage:
    text: str
    signed: str


@dataclass
class WallCard:
    """One donor as the wall shows them: ``name`` None means "an anonymous donor"; ``year`` and
    ``prefecture`` None when the family did not consent to them. Nothing else of the family is here."""

    key: int
    name: str | None
    year: int | None
    prefecture: str | None
    messages: list[PublicMessage] = field(default_factory=list)


def public_entries(*, search: str = "") -> QuerySet[WallEntry]:
    """The entries on the wall, newest consent first: never a withdrawn one. A search looks only at
    the names shown (an anonymous donor is never found by name)."""
    qs = WallEntry.objects.filter(withdrawn_at__isnull=True).order_by("-consented_on", "-id")
    search = (search or "").strip()[:SEARCH_MAX]
    if search:
        qs = qs.filter(show_name=True, family__donor_name__icontains=search)
    return qs


def public_cards(entries) -> list[WallCard]:
    """The cards of a page of entries, each with its approved messages (newest first)."""
    ids = [e.pk for e in entries]
    rows = (
        WallEntry.objects.filter(pk__in=ids, withdrawn_at__isnull=True)  # again: withdrawn a moment ago
        .select_related("family")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=WallMessage.objects.filter(state=WallMessage.State.APPROVED).order_by("-submitted_at", "-id"),
                to_attr="approved",
            )
        )
    )
    by_id = {e.pk: e for e in rows}
    prefectures = dict(
        Region.objects.filter(code__in={e.family.region_id[:4] + "00" for e in by_id.values()}).values_list(
            "code", "name"
        )
    )
    cards = []
    for e in (by_id[pk] for pk in ids if pk in by_id):
        cards.append(
            WallCard(
                key=e.pk,
                name=e.family.donor_name if e.show_name else None,
                year=e.family.donated_on.year if e.show_year else None,
                prefecture=prefectures.get(e.family.region_id[:4] + "00") if e.show_prefecture else None,
                messages=[PublicMessage(text=m.text, signed=m.signed) for m in e.approved],
            )
        )
    return cards


# --- staff ---------------------------------------------------------------------------------------------


def entry_list(*, user, search: str = "", state: str = "") -> QuerySet[WallEntry]:
    """The entries the user's scope holds, searched by the family's case number or reference."""
    qs = visible(user, WallEntry.objects.select_related("family", "family__region")).order_by("-created_at", "-id")
    search = (search or "").strip()[:40]
    if search:
        qs = qs.filter(family__reference__icontains=search)
    if state == "live":
        qs = qs.filter(withdrawn_at__isnull=True)
    elif state == "withdrawn":
        qs = qs.filter(withdrawn_at__isnull=False)
    return qs


def families_without_consent(*, user, search: str) -> QuerySet[Family]:
    """Families in the user's scope with no consent given (none yet, or withdrawn), found by their case
    number or reference."""
    search = (search or "").strip()[:40]
    if not search:
        return Family.objects.none()
    return (
        visible(user, Family.objects.select_related("region"))
        .filter(Q(wall_entry__isnull=True) | Q(wall_entry__withdrawn_at__isnull=False))
        .filter(Q(reference__iexact=search) | Q(reference__icontains=search))
        .order_by("reference")[:50]
    )


def pending_messages(*, user) -> QuerySet[WallMessage]:
    """The messages waiting for approval in the user's scope, oldest first (consent still given)."""
    entries = visible(user, WallEntry).filter(withdrawn_at__isnull=True)
    return (
        WallMessage.objects.filter(state=WallMessage.State.PENDING, entry__in=entries)
        .select_related("entry__family")
        .order_by("submitted_at", "id")
    )


def pending_count(user) -> int:
    """The menu badge and the home panel: messages waiting for this user's decision."""
    if not user.has_perm("memorials.wall"):
        return 0
    return pending_messages(user=user).count()


def entry_messages(entry: WallEntry) -> QuerySet[WallMessage]:
    return entry.messages.select_related("decided_by").order_by("-submitted_at", "-id")
