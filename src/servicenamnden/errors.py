"""The one error a controller sees for a bad data file: file, row, column and rule, in Swedish."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)  # not frozen: raising through a context manager sets __traceback__ on it
class DataError(Exception):
    """A data file breaks a rule. ``str()`` gives one Swedish line with file, row, column and rule."""

    file: str
    rule: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"rad {self.line}")
        if self.column is not None:
            where.append(f'kolumn "{self.column}"')
        return f"Fel i {', '.join(where)}: {self.rule}. Inget har ändrats."


class CheckDefinitionError(Exception):
    """An avstämning that cannot be evaluated (a claim without data, mismatched units)."""


class TextError(Exception):
    """Fixed words of text written for the report year that the year's data contradict (one line each)."""
