"""References between data files: a column whose values are another file's keys (``abonnemang`` in
brukaravgifter.csv → abonnemang.csv) may only hold values that file has, so a typo such as ``heldygnn``
stops the check or the import with one line instead of surfacing later as a blank figure.

A data dictionary declares it on the column: ``referens: abonnemang.abonnemang`` and, when the match
must hold within a year, ``referens_inom: [ar]``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from servicenamnden.errors import DataError, quoted
from servicenamnden.io.schema import Column, Schema
from servicenamnden.io.text import nearest


def declared(schema: Schema) -> list[Column]:
    """The columns of ``schema`` that refer to another file's key."""
    return [c for c in schema.columns if c.reference is not None]


def comparable(value: object) -> object:
    """A cell made comparable across files: missing → None, numbers → float, text as it is."""
    if isinstance(value, str):
        return value
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _known(target: pd.DataFrame, columns: list[str]) -> set[tuple]:
    return {tuple(comparable(v) for v in row) for row in target[columns].itertuples(index=False)}


def check(
    frame: pd.DataFrame,
    lines: list[int],
    schema: Schema,
    label: str,
    target: Callable[[str], pd.DataFrame | None],
) -> None:
    """Raise :class:`DataError` at the first row of ``frame`` whose reference has no match.

    ``lines`` gives each row's line in ``label``; ``target(name)`` the referred file (``None`` if
    absent); a file referring to itself is checked against ``frame``.
    """
    for col in declared(schema):
        ref = col.reference
        assert ref is not None
        other = frame if ref.file == schema.name else target(ref.file)
        if other is None:
            raise DataError(label, f"kolumnen hänvisar till {ref.file}.csv, som saknas", column=col.name)
        within = list(ref.within)
        missing = [c for c in [*within, ref.column] if c not in other.columns]
        if missing:
            raise DataError(
                label, f"kolumnen hänvisar till {ref.file}.{missing[0]}, som inte finns", column=col.name
            )
        known = _known(other, [*within, ref.column])
        for index, row in enumerate(frame[[*within, col.name]].itertuples(index=False)):
            values = tuple(comparable(v) for v in row)
            if values[-1] is None or values in known:
                continue
            raise DataError(label, _rule(values, within, ref.file, ref.column, known), lines[index], col.name)


def _rule(values: tuple, within: list[str], file: str, column: str, known: set[tuple]) -> str:
    """Why a value has no match: where it was looked for, and the nearest value that exists."""
    value = values[-1]
    scope = "".join(f", {c} = {_shown(v)}" for c, v in zip(within, values, strict=False))
    candidates = sorted({_shown(k[-1]) for k in known if k[:-1] == values[:-1]})
    near = nearest(_shown(value), candidates)
    hint = f"; menar du {quoted(near)}?" if near else ""
    return f"{quoted(_shown(value))} finns inte i {file}.csv (kolumnen {column}{scope}){hint}"
