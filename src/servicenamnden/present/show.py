"""Show a table or chart, or, where the year's data are missing, an output in its place that says so.

A notebook's labelled cell always shows something of its kind, so the caption has a body and every
``@tbl-``/``@fig-`` reference has its target: a table whose data lack the year is a table saying so in
its one header cell (it publishes no numbers, so no CSV is written for it), a chart a sentence. A step before the table
(a domain function) that lacks the year gives a :class:`Note`, which the table's place turns into that.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from servicenamnden.domain.years import MissingYearError
from servicenamnden.present.inline import Md, text_md

TABLES, FIGURES = "servicenamnden.present.tables", "servicenamnden.present.figures"


class Note(Md):
    """The note of a step whose data lack the year; ``years`` are the years lacking."""

    years: tuple[int, ...] = ()


def missing_sentence(years: tuple[int, ...]) -> str:
    """What a table or chart says in place of its figures: ``Uppgifterna för 2024 finns inte i underlaget.``"""
    when = " och ".join(str(y) for y in years) if years else "året"
    return f"Uppgifterna för {when} finns inte i underlaget."


class MissingTable:
    """A table's place when the year's data are missing: a table of one header cell that says so, under
    its caption (class ``sn-saknas``: no figures, so no CSV and no download link)."""

    def __init__(self, years: tuple[int, ...]) -> None:
        self.text = missing_sentence(years)

    def _repr_html_(self) -> str:
        cell = f'<th scope="col">{html.escape(self.text)}</th>'
        return f'<table class="sn-table sn-saknas"><thead><tr>{cell}</tr></thead></table>'

    def __repr__(self) -> str:
        return self.text


class MissingChart(Md):
    """A chart's place when the year's data are missing: the sentence, above the caption."""


def _kind_of(build: Callable) -> str:
    """Whether ``build`` draws a table, a chart or neither (a step before them), by its module."""
    module = getattr(build, "__module__", "") or ""
    return "table" if module.startswith(TABLES) else "chart" if module.startswith(FIGURES) else ""


def in_place_of(build: Callable, note: Note) -> object:
    """What stands where ``build``'s output would have been: a table or a chart saying so, else the note."""
    kind = _kind_of(build)
    if kind == "table":
        return MissingTable(note.years)
    if kind == "chart":
        return MissingChart(missing_sentence(note.years))
    return note


def or_note(build: Callable, *args, **kwargs) -> object:
    """``build(*args)``, or, when the data lack the year it needs, its place saying so (never a traceback).

    An argument that is itself a note (its data lacked the year) is passed on instead of building.
    """
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, Note):
            return in_place_of(build, arg)
    try:
        return build(*args, **kwargs)
    except MissingYearError as exc:
        note = Note(f"*{text_md(str(exc))}*")
        note.years = exc.years
        return in_place_of(build, note)
