"""Show a table, chart or set of prose values, or say plainly that the year's data are missing."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from servicenamnden.domain.years import MissingYearError
from servicenamnden.present import fmt
from servicenamnden.present.inline import Md, md


def or_note(build: Callable, *args, **kwargs) -> object:
    """``build(*args)``, or an italic note when the data lack the year it needs (never a traceback)."""
    try:
        return build(*args, **kwargs)
    except MissingYearError as exc:
        return md(f"*{exc}*")


class _Dash(Md):
    """``–`` that stays ``–`` through attribute access (``ek.namn.omrade_1``)."""

    def __getattr__(self, name: str) -> _Dash:
        if name.startswith("__"):
            raise AttributeError(name)
        return self


class Unavailable(SimpleNamespace):
    """Prose values of a section without data: every value reads ``–`` and ``saknas`` explains why."""

    def __init__(self, message: str) -> None:
        super().__init__(saknas=md(f"*{message}*"))

    def __getattr__(self, name: str) -> Md:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Dash(fmt.MISSING)


def values_or_note(build: Callable, *args, **kwargs) -> SimpleNamespace:
    """Prose values with ``saknas`` empty, or :class:`Unavailable` when the year's data are missing."""
    try:
        values = build(*args, **kwargs)
    except MissingYearError as exc:
        return Unavailable(str(exc))
    values.saknas = md("")
    return values
