"""How a programme plugs in: each Boai app declares what it adds (permissions, audit labels, menu
entries, demo data, figures) in a module of its own, and the central code only collects.

``declarations("permissions", "PERMISSIONS")`` yields ``(app_config, value)`` for every installed app
under ``boai.`` that has ``<app>/permissions.py`` defining ``PERMISSIONS``, in ``INSTALLED_APPS`` order
(which is the dependency order: lower layers first). ``collected(...)`` caches a merge of them per
set of installed apps, so that an app added by a test's settings is seen at once."""

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import AppConfig, apps

_cache: dict[tuple, Any] = {}


def _installed() -> tuple[str, ...]:
    return tuple(c.name for c in apps.get_app_configs())


def declarations(module: str, attr: str) -> Iterator[tuple[AppConfig, Any]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("boai."):
            continue
        name = f"{config.name}.{module}"
        if find_spec(name) is None:
            continue
        value = getattr(import_module(name), attr, None)
        if value is not None:
            yield config, value


def api_url_modules() -> list[str]:
    """The ``api_urls`` module of every installed Boai app, in ``INSTALLED_APPS`` order."""
    return [
        f"{config.name}.api_urls"
        for config in apps.get_app_configs()
        if config.name.startswith("boai.") and find_spec(f"{config.name}.api_urls") is not None
    ]


def collected(module: str, attr: str, merge: Callable[[list[tuple[AppConfig, Any]]], Any]):
    """``merge(list of (app_config, value))``, computed once per set of installed apps."""
    key = (module, attr, merge, _installed())
    if key not in _cache:
        _cache[key] = merge(list(declarations(module, attr)))
    return _cache[key]


def merged_dict(found: list[tuple[AppConfig, dict]]) -> dict:
    """One dict from every app's; a key declared by two apps is a mistake, reported at once."""
    out: dict = {}
    for config, value in found:
        for key, item in value.items():
            if key in out:
                raise ValueError(f"{key!r} is declared twice (again by {config.name})")
            out[key] = item
    return out


def demo_load(*, baseline_only: bool = False) -> list[str]:
    """Each app's demo data (``<app>/demo.py``: ``load() -> bool``), lower layers first. An app whose
    demo module says ``BASELINE = False`` is left out of the tests' baseline data. Returns the apps
    that created something (an app whose data is there already creates nothing)."""
    created = []
    for config, load in declarations("demo", "load"):
        module = import_module(f"{config.name}.demo")
        if baseline_only and not getattr(module, "BASELINE", True):
            continue
        if load():
            created.append(config.label)
    return created
