"""Where the avstämningar read from: the claims of ``data/pastaenden.csv`` and the data files.

A :class:`Sources` loads each file on first use and, for a year's register (goals, risks, area
explanations: files that hold one edition per year), only the rows of the year the rules run for.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from servicenamnden.domain.provenance import Cell, select
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.io import data
from servicenamnden.paths import data_dir
from servicenamnden.reconcile.model import CLAIMS, Claim

CLAIMS_NAME = CLAIMS.removesuffix(".csv")


def document_year(folder: Path | None = None) -> int:
    """The year the transcribed document reports on (``dokumentets_ar`` in ``data/pastaenden.yml``)."""
    year = data.schema_of(CLAIMS_NAME, Path(folder or data_dir())).extra.get("dokumentets_ar")
    if year is None:
        raise CheckDefinitionError(f"data/{CLAIMS_NAME}.yml anger inte dokumentets_ar.")
    return int(year)


def read_claims(folder: Path | None = None) -> list[Claim]:
    """The claims of ``data/pastaenden.csv``, validated, with their printed decimals from the file text."""
    folder = Path(folder or data_dir())
    frame = data.load("pastaenden", folder)
    printed = _printed_decimals(folder / CLAIMS)
    reasons = frame["ej_avstambar"].fillna("") if "ej_avstambar" in frame else [""] * len(frame)
    return [
        Claim(r.id, r.avsnitt, r.beskrivning, int(r.ar), float(r.varde), r.enhet, printed[r.id], str(reason))
        for r, reason in zip(frame.itertuples(), reasons, strict=True)
    ]


def _printed_decimals(path: Path) -> dict[str, int]:
    """Decimals of each stored value as written (``8.40`` → 2): the precision the source prints."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"]: len(row["varde"].strip().partition(".")[2]) for row in csv.DictReader(handle)}


# Files that hold one year's register (not a time series): read for the year the rules run for.
YEARLY_REGISTERS = frozenset(
    {
        "processmal",
        "huvudprocesser",
        "ataganden",
        "miljomal",
        "avvikelser_omraden",
        "internkontroll_risker",
        "internkontroll_avvikelser",
        "internkontroll_2022",
    }
)


class Sources:
    """The claims and the data files a rule reads, for one year; files load on first use (or come from ``tables``).

    ``year`` is the year the rules run for: a year's register is read for that year only. ``None``
    reads every row (as given, for inline test data).
    """

    def __init__(
        self,
        claims: Iterable[Claim] = (),
        tables: Mapping[str, pd.DataFrame] | None = None,
        folder: Path | None = None,
        year: int | None = None,
    ) -> None:
        """Claims, inline tables (by file name), the data folder and the year the rules run for."""
        self.claims = {c.id: c for c in claims}
        self._tables = dict(tables or {})
        self.folder = folder
        self.year = year

    @classmethod
    def load(cls, folder: Path | None = None, year: int | None = None) -> Sources:
        """Claims and data from a data folder (the project's ``data/`` by default)."""
        folder = Path(folder or data_dir())
        return cls(read_claims(folder), folder=folder, year=year)

    def at(self, year: int, *, with_claims: bool = True) -> Sources:
        """The same loaded files (and claims, unless ``with_claims`` is false), read for ``year``."""
        other = Sources(self.claims.values() if with_claims else (), folder=self.folder, year=year)
        other._tables = self._tables  # the cache of whole files is shared; registers are cut per call
        return other

    def has(self, name: str) -> bool:
        """Whether the data file exists (some files, such as the hours behind sick leave, are optional)."""
        if name in self._tables:
            return True
        return self.folder is not None and (Path(self.folder) / f"{name}.csv").exists()

    def title(self, name: str) -> str:
        """What a reader calls a data file: its dictionary's title (inline data: the file's name)."""
        if self.folder is None or not (Path(self.folder) / f"{name}.yml").exists():
            return name
        return data.schema_of(name, Path(self.folder)).title

    def no_rows(self, name: str, ar: int) -> str:
        """Why a check of year ``ar`` cannot be made: the file has no rows for it, said in words."""
        title = self.title(name)
        return f"{title[:1].lower()}{title[1:]} har inga uppgifter för {ar}"

    def table(self, name: str) -> pd.DataFrame:
        """A data file, validated (a register: the rows of ``year``); an inline set without it is a broken check."""
        if name not in self._tables:
            if self.folder is None:
                raise CheckDefinitionError(f"Avstämningen behöver data/{name}.csv, som saknas.")
            self._tables[name] = data.load(name, self.folder)
        return self._year_rows(name, self._tables[name])

    def _year_rows(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Year-by-year registers (goals, risks, …) read for the year the rules run for."""
        if self.year is None or name not in YEARLY_REGISTERS or "ar" not in frame:
            return frame
        return frame[frame["ar"] == self.year].reset_index(drop=True)

    def cells(self, name: str, column: str, **where: object) -> tuple[Cell, ...]:
        """The cells of ``column`` a rule reads in a data file: the rows where each ``where`` column has its
        value (a list: one of them) and the column has a value, named as provenance names them."""
        return select(self.table(name), column, **where).cells

    def claim(self, claim_id: str, unit: str) -> Claim:
        """A claim a rule names; a missing claim or another unit is a broken check."""
        if claim_id not in self.claims:
            raise CheckDefinitionError(
                f"Avstämningen hänvisar till påståendet {claim_id}, som saknas i data/{CLAIMS}."
            )
        return require_unit(self.claims[claim_id], unit)

    def matching(self, pattern: str, unit: str) -> list[tuple[Claim, re.Match[str]]]:
        """Every claim whose id matches ``pattern`` in full (unverifiable ones excepted), unit checked."""
        regex = re.compile(pattern)
        found = []
        for claim_id in sorted(self.claims):
            match = regex.fullmatch(claim_id)
            if match and not self.claims[claim_id].unverifiable:
                found.append((require_unit(self.claims[claim_id], unit), match))
        return found


def require_unit(claim: Claim, unit: str) -> Claim:
    """The claim, if it is stated in ``unit``; another unit is a broken check."""
    if claim.unit != unit:
        raise CheckDefinitionError(
            f"Påståendet {claim.id} i data/{CLAIMS} har enheten '{claim.unit}', "
            f"men avstämningen räknar i '{unit}'."
        )
    return claim


def no_data(claim: Claim, file: str, what: str) -> CheckDefinitionError:
    """The error for a claim whose data are missing: names the claim, the file and what it lacks."""
    return CheckDefinitionError(
        f"Påståendet {claim.id} ({claim.beskrivning}, {claim.ar}) har inga data att stämmas av mot: "
        f"data/{file} saknar {what}."
    )
