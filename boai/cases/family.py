"""Family consent: whose written consent it needs and whether a step's list of close relatives meets
it. The set of relationships is configured in one place, ``settings.BOAI_FAMILY_CONSENT``, and read
only by ``consent_orders``; docs/consent.md gives the reading of the law behind the defaults.

Per workflow the setting names one or more *orders* of relatives. The first order with a member
recorded applies (a later order only when the coordinator attests that no one of the earlier orders
is living). Every recorded relative of that order must have signed (in person, or through a proxy
appointed by a letter of authority) or be recorded as unreachable or lacking capacity, at least one
must have signed, and the coordinator attests that the list holds all of them."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from boai.core.people import Relationship

from .models import Signer

SIGNED = {Signer.Outcome.SIGNED, Signer.Outcome.PROXY}
ACCOUNTED_FOR = SIGNED | {Signer.Outcome.UNREACHABLE, Signer.Outcome.INCAPABLE}


def consent_orders(kind: str) -> list[tuple[Relationship, ...]]:
    """The orders of close relatives whose consent a family consent of ``kind`` ("organ", "body") needs."""
    orders = settings.BOAI_FAMILY_CONSENT.get(kind)
    if not orders or not all(orders):
        raise ImproperlyConfigured(f"BOAI_FAMILY_CONSENT[{kind!r}] must list at least one order of relationships")
    try:
        return [tuple(Relationship(r) for r in order) for order in orders]
    except ValueError as exc:
        raise ImproperlyConfigured(f"BOAI_FAMILY_CONSENT[{kind!r}]: {exc}") from exc


def _who(relationships) -> str:
    return _(", ").join(str(r.label) for r in relationships)


def attestation_label(kind: str) -> str:
    """The coordinator's confirmation that the list of relatives is complete, naming whom it covers."""
    first, *later = consent_orders(kind)
    if not later:
        return _("These are all the living %(first)s of the person.") % {"first": _who(first)}
    return _(
        "These are all the living %(first)s of the person (if none of them is living: all the living %(later)s)."
    ) % {
        "first": _who(first),
        "later": _(", ").join(_who(order) for order in later),
    }


def _person(row) -> str:
    return f"{row['name']}（{Relationship(row['relationship']).label}）"


def family_missing(kind: str, data) -> str | None:
    """What keeps the recorded relatives (``data["signers"]``) from being a family consent, or None."""
    rows = data.get("signers") or []
    orders = consent_orders(kind)
    order = next((o for o in orders if any(r["relationship"] in o for r in rows)), None)
    if order is None:
        everyone = [r for o in orders for r in o]
        return _("no %(who)s is recorded: a family consent needs their written consent") % {"who": _who(everyone)}
    needed = [r for r in rows if r["relationship"] in order]
    problems = []
    missing = [r for r in needed if r.get("outcome", Signer.Outcome.SIGNED) not in ACCOUNTED_FOR]
    if missing:
        problems.append(_("has not signed: %(names)s") % {"names": _(", ").join(_person(r) for r in missing)})
    if not any(r.get("outcome", Signer.Outcome.SIGNED) in SIGNED for r in needed):
        problems.append(_("none of the %(who)s recorded has signed") % {"who": _who(order)})
    if not data.get("family_complete"):
        problems.append(_("confirm that these are all the living %(who)s") % {"who": _who(order)})
    return "; ".join(problems) or None
