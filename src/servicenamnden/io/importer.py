"""Import the controller's own files into ``data/``: Excel workbooks and Excel's Swedish CSV.

Every table read by :mod:`servicenamnden.io.sources` is validated against the same data dictionary as
``data/``, its references to other files' keys are checked, and it is compared with the data file by the
dictionary's key: rows are added or updated, never deleted. Nothing is written until every source is
valid; then all changed files are replaced as one transaction (all new or all old, also after a kill),
while the data folder is locked against other imports and checks.

    python -m servicenamnden.io.importer FILE [FILE...] [--dry-run] [--data DIR] [--ar YEAR]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from servicenamnden.errors import DataError, os_error_line
from servicenamnden.io import data, references, template, transaction
from servicenamnden.io.lock import locked
from servicenamnden.io.references import comparable
from servicenamnden.io.schema import Schema, validate_lines, validate_text
from servicenamnden.io.sources import Source, read_sources
from servicenamnden.paths import data_dir

SHOWN_ROWS = 25  # rows listed per file and kind of change; the rest are counted


@dataclass(frozen=True)
class FileChange:
    """What importing one source does to its data file, and the file's new bytes."""

    name: str
    label: str
    path: Path
    added: list[str]
    changed: list[str]
    unchanged: int
    kept: int
    new_file: bool
    content: bytes
    schema: Schema | None = field(default=None, compare=False, repr=False)
    incoming: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    lines: list[int] = field(default_factory=list, compare=False, repr=False)
    merged: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed)


# --- Comparing and writing ----------------------------------------------------------------------------


def canonical_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Rows as the data files store them: comma, decimal point, UTF-8, LF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _text_rows(raw: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and non-empty rows of canonical CSV bytes, aligned with :func:`validate_text`'s frame."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if any(cell.strip() for cell in r)]


@dataclass
class _Merge:
    """The data file's rows while incoming rows are merged in: a linked list, so that inserting a row next
    to its relatives and updating one by key take constant time (the import is linear in the rows)."""

    keys: list[tuple]
    rows: list[list[str]]
    after: list[int]  # index of the next row, -1 at the end
    head: int = -1
    tail: int = -1
    last: list[dict[tuple, int]] = field(default_factory=list)  # per prefix length: prefix → last row

    @classmethod
    def of(cls, keys: list[tuple], rows: list[list[str]], width: int) -> _Merge:
        merge = cls([], [], [], last=[{} for _ in range(width)])
        for key, row in zip(keys, rows, strict=True):
            merge.append(key, row)
        return merge

    def append(self, key: tuple, row: list[str]) -> None:
        """Add a row at the end; it is the last of every prefix of its key."""
        node = self._new(key, row)
        if self.tail < 0:
            self.head = node
        else:
            self.after[self.tail] = node
        self.tail = node
        for length in range(1, len(key)):
            self.last[length][key[:length]] = node

    def insert(self, key: tuple, row: list[str]) -> None:
        """Add a row after the last one sharing the longest leading part of its key (else at the end).

        So a new year of a subscription lands next to that subscription's earlier years.
        """
        shared = next((n for n in range(len(key) - 1, 0, -1) if key[:n] in self.last[n]), 0)
        if not shared:
            self.append(key, row)
            return
        anchor = self.last[shared][key[:shared]]
        node = self._new(key, row)
        self.after[node], self.after[anchor] = self.after[anchor], node
        if self.tail == anchor:
            self.tail = node
        for length in range(1, len(key)):
            prefix = key[:length]
            if length > shared or self.last[length].get(prefix) == anchor:
                self.last[length][prefix] = node

    def _new(self, key: tuple, row: list[str]) -> int:
        self.keys.append(key)
        self.rows.append(row)
        self.after.append(-1)
        return len(self.rows) - 1

    def ordered(self) -> list[list[str]]:
        """The rows in file order."""
        out, node = [], self.head
        while node >= 0:
            out.append(self.rows[node])
            node = self.after[node]
        return out


@dataclass
class _Outcome:
    """What merging did: rows added and changed (as shown to the controller), unchanged, kept."""

    rows: list[list[str]]
    added: list[str]
    changed: list[str]
    unchanged: int
    kept: int


def _merge(
    header: list[str],
    key_cols: list[str],
    old: list[tuple[dict, list[str]]],
    new: list[tuple[dict, list[str]]],
) -> _Outcome:
    """Merge ``new`` (typed record, text row) into ``old`` by key, in time linear in the rows."""

    def key_of(record: dict) -> tuple:
        return tuple(comparable(record[k]) for k in key_cols)

    old_keys = [key_of(record) for record, _ in old]
    position = {key: i for i, key in enumerate(old_keys)}
    merge = _Merge.of(old_keys, [list(row) for _, row in old], len(key_cols))
    key_index = [header.index(k) for k in key_cols]
    added: list[str] = []
    changed: list[str] = []
    touched: set[int] = set()
    unchanged = 0
    for record, row in new:
        key = key_of(record)
        shown_key = ", ".join(row[i] for i in key_index)
        if key not in position:
            merge.insert(key, row)
            added.append(shown_key)
            continue
        j = position[key]
        touched.add(j)
        old_record, old_row = old[j]
        diffs = [
            f"{c} {old_row[i] or '(tomt)'} → {row[i] or '(tomt)'}"
            for i, c in enumerate(header)
            if comparable(old_record[c]) != comparable(record[c])
        ]
        if diffs:
            merge.rows[j] = row  # old rows keep their node numbers
            changed.append(f"{shown_key}: {'; '.join(diffs)}")
        else:
            unchanged += 1
    return _Outcome(merge.ordered(), added, changed, unchanged, len(old) - len(touched))


def plan(source: Source, folder: Path) -> FileChange:
    """Validate ``source`` and work out its data file after the import: rows added, changed and kept."""
    schema = source.schema
    incoming_raw = canonical_bytes(source.header, source.rows)
    incoming, lines = validate_lines(incoming_raw, schema, source.label, complete=False)
    path = folder / f"{source.name}.csv"
    label = f"data/{path.name}"
    new_file = not path.exists()
    header, old = [c.name for c in schema.columns], []
    if not new_file:
        existing_raw = path.read_bytes()
        existing = validate_text(existing_raw, schema, label)
        header, existing_rows = _text_rows(existing_raw)
        old = list(zip(existing.to_dict("records"), existing_rows, strict=True))
    in_header, in_rows = _text_rows(incoming_raw)
    order = [in_header.index(h) for h in header]
    new = list(
        zip(incoming.to_dict("records"), [[r[i].strip() for i in order] for r in in_rows], strict=True)
    )
    outcome = _merge(header, list(schema.key) or header, old, new)
    content = canonical_bytes(header, outcome.rows)
    try:
        merged = validate_text(content, schema, label)  # the file we would write is itself valid
    except DataError as exc:  # e.g. a year's set made incomplete: name the source, not a file not yet written
        raise DataError(source.label, f"{exc.rule} (tillsammans med {label})", None, exc.column) from None
    return FileChange(
        name=source.name,
        label=source.label,
        path=path,
        added=outcome.added,
        changed=outcome.changed,
        unchanged=outcome.unchanged,
        kept=outcome.kept,
        new_file=new_file,
        content=content,
        schema=schema,
        incoming=incoming,
        lines=lines,
        merged=merged,
    )


def check_references(changes: list[FileChange], folder: Path) -> None:
    """Every incoming row's references must name a key of the data files as they will be after the import."""
    after = {c.name: c.merged for c in changes}

    def target(name: str) -> pd.DataFrame | None:
        return after[name] if name in after else data.load_optional(name, folder)

    for change in changes:
        assert change.schema is not None and change.incoming is not None
        references.check(change.incoming, change.lines, change.schema, change.label, target)


def _listed(sign: str, items: list[str]) -> list[str]:
    lines = [f"  {sign} {item}" for item in items[:SHOWN_ROWS]]
    if len(items) > SHOWN_ROWS:
        lines.append(f"  … och {len(items) - SHOWN_ROWS} till")
    return lines


def describe(change: FileChange) -> list[str]:
    """What the import does to one data file, in Swedish: counts, then the rows added and changed."""
    target = f"data/{change.path.name}" + (" (ny fil)" if change.new_file else "")
    counts = (
        f"nya rader {len(change.added)}, ändrade {len(change.changed)}, oförändrade {change.unchanged}, "
        f"bara i data/ (behålls) {change.kept}"
    )
    lines = [f"{target} ← {change.label}: {counts}"]
    return lines + _listed("ny:", change.added) + _listed("ändrad:", change.changed)


def _files(count: int) -> str:
    return f"{count} datafil" if count == 1 else f"{count} datafiler"


def from_workbook(source: Source, paths: list[Path]) -> bool:
    """Whether ``source`` is a sheet of a workbook (an empty sheet is skipped; an empty CSV is refused)."""
    return any(
        source.label.startswith(f'{path}, blad "')
        for path in paths
        if path.suffix.lower() in (".xlsx", ".xlsm")
    )


def import_year(paths: list[Path], ar: int | None) -> int | None:
    """The report year the import fills: ``ar`` if given, else the year a ``make mall`` workbook was made for."""
    if ar is not None:
        return ar
    return next((year for path in paths if (year := template.template_year(path)) is not None), None)


def missing_after(changes: list[FileChange], folder: Path, ar: int) -> str:
    """The line naming the data files the year needs that would still have no rows for it after the import."""
    after = {c.name: c.merged for c in changes}
    schemas = template.year_schemas(folder)
    frames = {name: after[name] if name in after else data.load_optional(name, folder) for name in schemas}
    optional = [name for name, schema in schemas.items() if schema.optional]
    return template.missing_line(template.missing_for_year(frames, ar), ar, len(schemas), optional)


def run(
    paths: Iterable[Path],
    folder: Path | None = None,
    dry_run: bool = False,
    say: Callable[[str], None] = print,
    ar: int | None = None,
) -> list[FileChange]:
    """Read, validate and compare every file, show the changes and which files still lack the year
    (``ar``, or the year of a ``make mall`` workbook), then write them as one transaction (unless
    ``dry_run``). The data folder is locked meanwhile: another import or check waits."""
    folder = Path(folder or data_dir())
    paths = list(paths)
    with locked(folder, say=say):
        data.recover(folder)
        sources = read_sources(paths, folder)
        left = [s for s in sources if not s.rows and from_workbook(s, paths)]
        for empty in left:  # a sheet of the workbook (from make mall) left without rows
            say(f"data/{empty.name}.csv ← {empty.label}: inga rader att läsa in")
        changes = [plan(s, folder) for s in sources if s not in left]
        check_references(changes, folder)
        for change in changes:
            for line in describe(change):
                say(line)
        year = import_year(paths, ar)
        if year is not None:
            say(missing_after(changes, folder, year))
        pending = [c for c in changes if c.has_changes]
        if dry_run:
            say(f"Provkörning: {_files(len(pending))} skulle ändras. Inget har skrivits.")
            return changes
        if pending:
            transaction.replace_files(folder, {c.path.name: c.content for c in pending})
    data.clear_cache()
    if not pending:
        say("Klart: inget ändrades; alla rader fanns redan i data/.")
        return changes
    say(
        f"Klart: {_files(len(pending))} uppdaterade. Kör make check för att pröva rapporten med de nya siffrorna."
    )
    return changes


def main(argv: list[str] | None = None) -> int:
    """``python -m servicenamnden.io.importer``: exit code 0, or 1 with one Swedish line and nothing written."""
    parser = argparse.ArgumentParser(
        prog="python -m servicenamnden.io.importer",
        description="Importera Excel-arbetsböcker (.xlsx) och CSV-filer från Excel till data/.",
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FIL", help="filer att importera")
    parser.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle ändras")
    parser.add_argument("--data", type=Path, default=None, help="datamappen (standard: data/ eller SN_DATA)")
    parser.add_argument(
        "--ar", type=int, default=None, help="rapportåret: visa datafilerna som saknar rader för det"
    )
    args = parser.parse_args(argv)
    if not args.files:
        print("Ange minst en fil att importera, t.ex. make import FILE=brukaravgifter.xlsx", file=sys.stderr)
        return 2
    try:
        run(args.files, args.data, args.dry_run, ar=args.ar)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(os_error_line(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
