"""How a programme plugs in: each Boai app declares what it adds (permissions, audit labels, menu
entries, demo data, figures) in a module of its own, and the central code only collects.

``declarations("permissions", "PERMISSIONS")`` yields ``(app_config, value)`` for every installed app
under ``boai.`` that has ``<app>/permissions.py`` defining ``PERMISSIONS``, in ``INSTALLED_APPS`` order
(which is the dependency order: lower layers first). ``collected(...)`` caches a merge of them until
the installed apps change, so that an app added by a test's settings is seen at once."""

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import AppConfig, apps
from django.core.signals import setting_changed

_cache: dict[tuple, Any] = {}


def _forget(*, setting, **kwargs):
    """A test's settings changed the installed apps: collect again on the next call. (Connected at
    import, so it runs before any receiver that collects, such as the role map's in accounts.)"""
    if setting == "INSTALLED_APPS":
        _cache.clear()


setting_changed.connect(_forget, dispatch_uid="boai.lib.plugins.forget")


def app_modules(module: str) -> Iterator[tuple[AppConfig, str]]:
    """``(app_config, "<app>.<module>")`` for every installed Boai app that has that module
    (``module`` may be dotted, ``tests.matrix``), in ``INSTALLED_APPS`` order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("boai."):
            continue
        name = f"{config.name}.{module}"
        try:
            found = find_spec(name)
        except ModuleNotFoundError:  # a parent package of a dotted name is missing
            found = None
        if found is not None:
            yield config, name


def declarations(module: str, attr: str) -> Iterator[tuple[AppConfig, Any]]:
    for config, name in app_modules(module):
        value = getattr(import_module(name), attr, None)
        if value is not None:
            yield config, value


def api_url_modules() -> list[str]:
    """The ``api_urls`` module of every installed Boai app, in ``INSTALLED_APPS`` order."""
    return [name for _config, name in app_modules("api_urls")]


def collected(module: str, attr: str, merge: Callable[[list[tuple[AppConfig, Any]]], Any]):
    """``merge(list of (app_config, value))``, computed once until the installed apps change."""
    key = (module, attr, merge)
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
    for config, name in app_modules("demo"):
        module = import_module(name)
        if not hasattr(module, "load") or (baseline_only and not getattr(module, "BASELINE", True)):
            continue
        if module.load():
            created.append(config.label)
    return created
