"""The building block of the prose's values: a named group of values, each computed on its own.

A value whose data lack the year reads ``–`` and leaves a note that speaks of the figure; every other
value of the group is still shown. Notes are shown in blocks where the figure would have been
(:func:`servicenamnden.present.values.notera`), never as inline values, which must not be empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from servicenamnden.domain.provenance import Traced
from servicenamnden.domain.years import MissingYearError, missing_text, require_years
from servicenamnden.present import fmt
from servicenamnden.present.inline import TRACED_CLASS, Md, md, text_md

# A missing value in the prose: the dash, marked so that its sentence is left out as a whole
# (assets/arstext.lua under Quarto, render/yeartext.py in the preview) and the note speaks instead.
MISSING_SPAN = "[" + fmt.MISSING + "]{.saknas}"


@dataclass(frozen=True)
class Shown:
    """A figure as the prose shows it (``text``) with what it is computed from (``traced``)."""

    text: str
    traced: Traced


def shown(traced: Traced, formatter: Callable[..., str], *args: object, **kwargs: object) -> Shown:
    """``traced`` formatted by ``formatter`` (present/fmt.py), keeping its provenance."""
    return Shown(formatter(traced.value, *args, **kwargs), traced)


class Figur(Md):
    """A traced prose figure: as text it is what the reader sees; as Markdown (what Quarto inserts) a
    span naming its provenance, so the article reads the same and the site can open the source."""

    traced: Traced
    ident: str

    def __new__(cls, text: str, traced: Traced, ident: str) -> Figur:
        self = super().__new__(cls, text)
        self.traced, self.ident = traced, ident
        return self

    def _repr_markdown_(self) -> str:
        return f'[{self}]{{.{TRACED_CLASS} data-v="{self.ident}"}}'


class EmptyValueError(ValueError):
    """A prose value came out empty; Quarto would print the expression itself, so it is refused."""


class Varden:
    """Named prose values of one subject, and the notes for those that the data lack."""

    def __init__(self, namn: str, values: dict[str, object], notes: list[str]) -> None:
        self._namn = namn
        self._values = values
        self.noter = notes

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            known = ", ".join(sorted(self._values))
            raise AttributeError(f"'{self._namn}' har inget värde '{name}'. Det finns: {known}.") from None

    @property
    def harledning(self) -> dict[str, Traced]:
        """The provenance of the group's traced figures: ``group.key`` → traced value."""
        return {v.ident: v.traced for v in self._values.values() if isinstance(v, Figur)}

    def __dir__(self) -> list[str]:
        return sorted(self._values) + ["noter"]

    def __repr__(self) -> str:
        return f"Varden({self._namn}: {', '.join(self._values)})"


def missing_note(exc: MissingYearError) -> str:
    """The note for a figure the data lack, as the error states it."""
    return str(exc)


def collect(namn: str, values: dict[str, Callable[[], object]]) -> Varden:
    """Compute each value on its own: a lack of data gives ``–`` and a note.

    A value that is not already :class:`Md` is text (from data or a formatter) and reaches the reader as
    text: :func:`text_md` escapes it. A value meant as Markdown must be built as :class:`Md` on purpose.
    """
    out: dict[str, object] = {}
    notes: list[str] = []
    for key, compute in values.items():
        try:
            value = compute()
        except MissingYearError as exc:
            out[key] = md(MISSING_SPAN)
            note = missing_note(exc)
            if note not in notes:
                notes.append(note)
            continue
        if isinstance(value, bool):
            out[key] = value
            continue
        text = text_md(value.text if isinstance(value, Shown) else value)
        if not text.strip():
            raise EmptyValueError(f"Värdet {namn}.{key} blev tomt; ett inlinevärde får aldrig vara tomt.")
        traced = isinstance(value, Shown) and value.traced.named  # no named cell: nothing to show the way to
        out[key] = Figur(text, value.traced, f"{namn}.{key}") if traced else text  # type: ignore[union-attr]
    return Varden(namn, out, notes)


def need(frame: pd.DataFrame, years: int | list[int], what: str, column: str = "ar") -> pd.DataFrame:
    """``frame`` after checking it holds ``years``; :class:`MissingYearError` (a note) otherwise."""
    require_years(frame, years, what, column)
    return frame


def known(value: object, what: str, ar: int) -> float:
    """``value`` as a number, or :class:`MissingYearError` (a note on ``what``) when it is missing."""
    if value is None or fmt.is_missing(value):
        raise MissingYearError(missing_text(what, [ar]))
    return float(value)  # type: ignore[arg-type]


def item(series: pd.Series, key: str, what: str, ar: int) -> float:
    """``series[key]`` as a number, or :class:`MissingYearError` when the data do not state it."""
    return known(series.get(key), what, ar)


def direction(change: float, down: str, up: str, same: str) -> str:
    """The verb for a change: ``down`` when it fell, ``up`` when it rose, ``same`` otherwise."""
    if fmt.is_missing(change):
        raise ValueError("förändringen saknas")
    return down if change < 0 else up if change > 0 else same


# The notes already shown in the article being executed. Quarto (and the harness) run the article in
# one kernel, top to bottom, so a note stands once, where the first figure it concerns would have been;
# ``arets_varden`` (the article's first cell) starts a new article.
_SHOWN: set[str] = set()


def forget_shown_notes() -> None:
    """Start a new article: every note may be shown again (once)."""
    _SHOWN.clear()


def notes_of(groups: Iterable[Varden]) -> Md | None:
    """The notes of ``groups`` not yet shown in this article, as one italic Markdown paragraph, or
    ``None`` when there is nothing new to say. A note may name data (a key figure, an area), so its
    text is escaped inside the emphasis."""
    notes: list[str] = []
    for group in groups:
        notes.extend(n for n in group.noter if n not in notes and n not in _SHOWN)
    _SHOWN.update(notes)
    return md(" ".join(f"*{text_md(n)}*" for n in notes)) if notes else None
