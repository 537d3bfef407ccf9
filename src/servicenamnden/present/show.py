"""Show a table or chart, or say plainly that the year's data are missing."""

from __future__ import annotations

from collections.abc import Callable

from servicenamnden.domain.years import MissingYearError
from servicenamnden.present.inline import Md, text_md


class Note(Md):
    """A note shown in place of a table or chart whose data lack the year."""


def or_note(build: Callable, *args, **kwargs) -> object:
    """``build(*args)``, or an italic note when the data lack the year it needs (never a traceback).

    An argument that is itself a note (its data lacked the year) is passed on instead of building.
    """
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, Note):
            return arg
    try:
        return build(*args, **kwargs)
    except MissingYearError as exc:
        return Note(f"*{text_md(str(exc))}*")
