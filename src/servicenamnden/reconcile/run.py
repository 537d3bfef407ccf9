"""Running the avstämningar for a report year: the year's own checks always, the document's claims
only for the year the document reports on; once per data and year in a process (:func:`run_all`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import asdict, fields
from pathlib import Path

from servicenamnden.domain.provenance import Cell
from servicenamnden.domain.years import resolve_year
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.paths import data_dir, project_root
from servicenamnden.reconcile import claims_changes, claims_derived, claims_repeats, claims_sums, year
from servicenamnden.reconcile.engine import Rule, run_rules
from servicenamnden.reconcile.model import FAMILIES, KINDS, STATUS_ORDER, Check, Claim
from servicenamnden.reconcile.sources import Sources, document_year, read_claims

# The year's own data against themselves: run for every report year.
YEAR_RULES: tuple[Rule, ...] = year.RULES
# The published document's claims (data/pastaenden.csv): run for the document's year only.
DOCUMENT_RULES: tuple[Rule, ...] = (
    *claims_sums.RULES,
    *claims_changes.RULES,
    *claims_repeats.RULES,
    *claims_derived.RULES,
)


def rule(rule_id: str) -> Rule:
    """The rule row with this id (every row's id is unique)."""
    found = [r for r in (*YEAR_RULES, *DOCUMENT_RULES) if r.id == rule_id]
    if len(found) != 1:
        raise CheckDefinitionError(f"Det finns {len(found)} avstämningsregler med id '{rule_id}', inte en.")
    return found[0]


def ordered(checks: list[Check]) -> list[Check]:
    """Differing first, then within rounding, then holding; the year's own before the document's, by family."""
    kinds, families = list(KINDS), list(FAMILIES)
    return sorted(
        checks,
        key=lambda c: (STATUS_ORDER.index(c.status), kinds.index(c.kind), families.index(c.family)),
    )


def claims_apply(src: Sources, ar: int | None) -> bool:
    """Whether the document's claims are judged: only in the report for the year the document reports on."""
    if ar is None or src.folder is None:
        return True  # inline sources (tests): the claims given are the ones to judge
    return ar == document_year(src.folder)


def evaluate(src: Sources, ar: int | None = None) -> list[Check]:
    """The year's own checks for ``ar`` and, in the document's year, its claims; differing first."""
    with_claims = claims_apply(src, ar)
    # In another year's report no printed figure may judge or explain the data: the rules see no claims.
    own = src.at(ar, with_claims=with_claims) if ar is not None else src
    checks = run_rules(YEAR_RULES, own)
    if with_claims:
        document = src.at(document_year(src.folder)) if src.folder is not None else src
        checks += run_rules(DOCUMENT_RULES, document)
    seen: set[str] = set()
    for check in checks:
        if check.id in seen:
            raise CheckDefinitionError(f"Två avstämningar har samma id '{check.id}'.")
        seen.add(check.id)
    return ordered(checks)


def content_key(folder: Path) -> str:
    """A digest of every data file and dictionary in ``folder``: the same files, the same checks."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.yml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_key() -> str:
    """A digest of the package's code: a list shared with another process was made by the same rules."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


PACKAGE = Path(__file__).resolve().parents[1]
SHARED_NAME = "avstamningar-delade.json"  # in _build/: the list for every kernel a render starts
_RESULTS: dict[tuple[str, int], tuple[Check, ...]] = {}
EVALUATIONS: Counter[tuple[str, int]] = Counter()  # how often each (data, year) was evaluated here


def shared_path() -> Path:
    """Where the pre-render step leaves the year's list: a fixed place in the project's ``_build/``, so
    that the kernels Quarto itself starts (not only those the pre-render step starts) find it."""
    return project_root() / "_build" / SHARED_NAME


def clear_cache() -> None:
    """Forget every result in this process (tests that count the runs)."""
    _RESULTS.clear()


# The shared file's format: the fields of a check as stored. A check with another field set (a list
# written before the checks recorded their cells) has another key and is never read.
SHARED_FORMAT = "checks:" + ",".join(f.name for f in fields(Check))


def shared_key(key: tuple[str, int]) -> list:
    """The key a shared list carries: data, year, code and the stored format of a check."""
    return [*key, code_key(), SHARED_FORMAT]


def _cells(stored: list) -> tuple[Cell, ...]:
    """Cells as stored in JSON (lists) back as :class:`Cell`."""
    return tuple(Cell(c["fil"], tuple((k, v) for k, v in c["nyckel"]), c["kolumn"]) for c in stored)


def check_from_json(stored: dict) -> Check:
    """A check as :func:`share_with_kernels` stored it, with its tuples and cells restored."""
    return Check(
        **{
            **stored,
            "inputs": tuple(stored["inputs"]),
            "claim_ids": tuple(stored["claim_ids"]),
            "cells": _cells(stored["cells"]),
            "stated_cells": _cells(stored["stated_cells"]),
        }
    )


def read_shared(key: tuple[str, int]) -> tuple[Check, ...] | None:
    """The list the pre-render step shared, if it was made from these data and year by this code."""
    try:
        stored = json.loads(shared_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, FileNotFoundError):
        return None
    if stored.get("key") != shared_key(key):
        return None
    return tuple(check_from_json(c) for c in stored["checks"])


def share_with_kernels(folder: Path | None = None, ar: int | None = None) -> Path:
    """Write the year's list, keyed by its data, year and code, where every kernel of the render looks
    (:func:`shared_path`): the article and the appendix then read it instead of running the rules again.
    A list made from other data, another year or other code is never read (its key differs)."""
    folder = Path(folder or data_dir())
    year_of_report = resolve_year(ar)
    found = run_all(folder, year_of_report)
    path = shared_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = shared_key((content_key(folder), year_of_report))
    partial = path.with_suffix(".tmp")
    partial.write_text(
        json.dumps({"key": key, "checks": [asdict(c) for c in found]}, ensure_ascii=False), encoding="utf-8"
    )
    os.replace(partial, path)  # whole or not at all: a kernel never reads half a list
    return path


def run_all(folder: Path | None = None, ar: int | None = None) -> list[Check]:
    """Every avstämning for report year ``ar`` (default: the latest complete year) on the data in ``folder``.

    Evaluated once per content of the data folder and year: in a process, the pre-render step, the
    appendix and the download get the same list; a kernel started after :func:`share_with_kernels`
    reads the list the pre-render step shared.
    """
    folder = Path(folder or data_dir())
    year_of_report = resolve_year(ar)
    key = (content_key(folder), year_of_report)
    if key not in _RESULTS:
        shared = read_shared(key)
        if shared is None:
            shared = tuple(evaluate(Sources.load(folder), year_of_report))
            EVALUATIONS[key] += 1
        _RESULTS[key] = shared
    return list(_RESULTS[key])


def unchecked_claims(folder: Path | None = None) -> list[str]:
    """Claim ids no rule covers and that are not declared unverifiable (the goal is none)."""
    folder = Path(folder or data_dir())
    covered = {claim_id for check in run_all(folder, document_year(folder)) for claim_id in check.claim_ids}
    return sorted(c.id for c in read_claims(folder) if c.id not in covered and not c.unverifiable)


def unverifiable_claims(folder: Path | None = None, ar: int | None = None) -> list[tuple[Claim, str]]:
    """The document's claims with no figures to check against, and why; none in another year's report."""
    folder = Path(folder or data_dir())
    if ar is not None and ar != document_year(folder):
        return []
    return [(c, c.unverifiable) for c in read_claims(folder) if c.unverifiable]
