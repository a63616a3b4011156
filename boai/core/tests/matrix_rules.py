"""Expectation builders of the permission matrix shared by the apps' ``tests/matrix_<area>.py`` (the
older ``matrix_kit`` keeps its own ``only(*names)``; these take the set of roles, and a record's name).

- ``only(names, ok)``: ``ok`` for a role of ``names``, else 403;
- ``scoped(record, ok, allowed)``: ``ok`` for a role of ``allowed`` whose area includes ``ctx[record]``
  (its ``region_id``), 404 for one outside it, 403 for a role not allowed."""

from boai.core.tests.matrix_kit import by_scope

# who may, in a programme: look at its records (``.view``), change them (``.manage``), export them
VIEWERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor"}
MANAGERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}
EXPORTERS = MANAGERS | {"auditor"}


def only(names, ok=200):
    return lambda role, ctx: ok if role in names else 403


def scoped(record, ok=200, allowed=VIEWERS):
    """``ok`` for an allowed role whose area includes ``ctx[record]`` (its ``region_id``), else 404."""
    return by_scope(ok=ok, allowed=allowed, record=record)
