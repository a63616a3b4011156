"""Readable names of audit actions, for the auditor's pages (the dotted code stays in the log).

Every app names its own actions in ``<app>/labels.py``: ``AUDIT_LABELS = {"app.thing.done": _("…")}``,
and, for actions it names by rule rather than one by one (a workflow's steps), a function
``audit_label(action) -> str | None``. A reason the system itself writes into an entry (not one a
person typed) is stored in English, the same in every language, and named for the pages in the app's
``AUDIT_REASONS = {"stored text": _("…")}``. This module holds the audit log's own (security) labels and
collects the rest."""

from django.utils.translation import gettext_lazy as _

from boai.lib.plugins import collected, merged_dict

AUDIT_LABELS = {
    "security.access.denied": _("Access outside scope refused"),
    "security.permission.denied": _("Permission refused"),
    "security.keys.rotated": _("Encryption keys rotated"),
    "security.backup.created": _("Backup made"),
    "security.backup.restored": _("Backup restored"),
    "audit.chain.keyed": _("Audit log re-chained under the audit key"),
}


def _resolvers(found) -> list:
    return [resolver for _config, resolver in found]


def all_labels() -> dict:
    """Every app's ``AUDIT_LABELS``, merged (an action named twice is refused)."""
    return collected("labels", "AUDIT_LABELS", merged_dict)


def action_label(action: str) -> str:
    labels = all_labels()
    if action in labels:
        return str(labels[action])
    for resolver in collected("labels", "audit_label", _resolvers):
        label = resolver(action)
        if label:
            return str(label)
    return action


def reason_label(reason) -> str:
    """A reason stored in an entry, as the pages show it: a reason the system wrote (an app's
    ``AUDIT_REASONS``) in the reader's language, one a person typed as typed."""
    label = collected("labels", "AUDIT_REASONS", merged_dict).get(str(reason or ""))
    return str(label) if label is not None else reason
