"""Summaries of the avstämningar: counts, the line for ``make check``, the values the prose uses,
a summary per kind and family, and the complete list as a numeric frame for the CSV download.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from servicenamnden.domain.provenance import Cell, Term, Traced
from servicenamnden.io.text import neutralised
from servicenamnden.present import fmt
from servicenamnden.present.inline import Md, md, text_md
from servicenamnden.reconcile.checks_file import CHECKS_FILE
from servicenamnden.reconcile.model import (
    AVVIKER,
    DOCUMENT,
    FAMILIES,
    INOM_AVRUNDNING,
    KINDS,
    SAKNAS,
    STAMMER,
    Check,
    Status,
    cells_text,
    difference_unit,
)

ALL_CHECKS = "varje avstämning i listan"


# The counts of checks, named as the summary's columns: the statuses each counts (all checks: None).
COUNTS: dict[str, tuple[Status, ...] | None] = {
    "kontroller": None,
    "stammer": (STAMMER,),
    "inom_avrundning": (INOM_AVRUNDNING,),
    "avviker": (AVVIKER,),
    "kan_inte_goras": (SAKNAS,),
}


def summary(checks: Iterable[Check]) -> dict[str, int]:
    """Counts: all checks and per status (:data:`COUNTS`)."""
    statuses = [c.status for c in checks]
    return {
        name: len(statuses) if wanted is None else sum(statuses.count(s) for s in wanted)
        for name, wanted in COUNTS.items()
    }


def summary_line(checks: Iterable[Check]) -> str:
    """One Swedish line for ``make check``: how many checks, how many hold, within rounding, differ."""
    counts = summary(checks)
    line = (
        f"Avstämningar: {counts['kontroller']} kontroller, {counts['stammer']} stämmer, "
        f"{counts['inom_avrundning']} stämmer inom avrundning, {counts['avviker']} avviker"
    )
    if counts["kan_inte_goras"]:
        line += f", {counts['kan_inte_goras']} {SAKNAS}"
    return line + "."


def not_made_sentence(count: int) -> str:
    """The note on checks the year's data cannot support: ``3 avstämningar kan inte göras …``."""
    checks_word = "avstämning" if count == 1 else "avstämningar"
    return f"{fmt.count(count)} {checks_word} kan inte göras: underlaget för året saknas i datafilerna."


def difference_line(check: Check) -> str:
    """One line for a differing check: id, the two figures and the difference."""
    stated = "källan" if check.kind == DOCUMENT else "uppgiften"
    return (
        f"Avviker: {check.id}: {stated} {check.expected_text}, beräknat {check.actual_text} "
        f"(skillnad {check.difference_text})"
    )


def not_made_line(check: Check) -> str:
    """One line for a check the year's data cannot support: id and what is lacking."""
    return f"Kan inte göras: {check.id}: {check.explanation.removeprefix('Underlaget saknas: ')}"


def check_cell(check: Check, column: str = "status") -> Cell:
    """A check's row of the complete list, by id and description: a row a count names (its ``status``),
    or one of its figures as the list states it (``uppgift``, ``beraknat``, ``skillnad``)."""
    return Cell(CHECKS_FILE, (("id", check.id), ("kontroll", check.description)), column)


def condition_text(**columns: Iterable[str]) -> str:
    """Which checks a count takes, in words, each column of the complete list with the values it must have
    as the list writes them: ``slag ”Årets data” och status ”Stämmer” eller ”Avviker”``; none: all."""
    parts = [f"{name} " + " eller ".join(f"”{v}”" for v in values) for name, values in columns.items()]
    return fmt.join(parts) or ALL_CHECKS


def counted(checks: Iterable[Check], statuses: Iterable[Status] | None = None, **where: str) -> Traced:
    """How many ``checks`` have one of ``statuses`` (all of them: ``None``) and the values ``where`` names
    (``slag``, ``familj``: as the complete list writes them), naming each counted check as a row and the
    condition in words (issue 20)."""
    wanted = None if statuses is None else list(statuses)
    shown = {"slag": lambda c: KINDS[c.kind], "familj": lambda c: FAMILIES[c.family]}
    rows = [
        c
        for c in checks
        if (wanted is None or c.status in wanted) and all(shown[k](c) == v for k, v in where.items())
    ]
    terms = tuple(Term(check_cell(c), 1.0) for c in rows)
    columns = {k: [v] for k, v in where.items()}
    if wanted is not None:
        columns["status"] = [s.label for s in wanted]
    return Traced(float(len(rows)), "antal", "antal", terms, condition=condition_text(**columns))


def count_figure(traced: Traced, ident: str) -> Md:
    """A count of checks in a sentence: a traced figure, or plain text when it names no check (zero)."""
    from servicenamnden.present.values.base import Figur  # the values layer only when the prose asks

    text = text_md(fmt.count(int(traced.value)))
    return Figur(text, traced, ident) if traced.named else text


def checks_values(checks: Iterable[Check]) -> SimpleNamespace:
    """Counts for the sentences on the data checks (Sammanfattning, the appendix), as inline Markdown."""
    checks = list(checks)
    # the prose names the count of all checks ``antal``; ``haller``: stämmer, also within rounding
    figures = {"antal" if name == "kontroller" else name: counted(checks, s) for name, s in COUNTS.items()}
    figures["haller"] = counted(checks, (STAMMER, INOM_AVRUNDNING))
    counts = {name: int(t.value) for name, t in figures.items()}
    with_document = any(c.kind == DOCUMENT for c in checks)
    what = "årets data och av källdokumentets uppgifter" if with_document else "årets data"
    sentence = f"Av {fmt.count(counts['antal'])} avstämningar av {what} stämmer {fmt.count(counts['haller'])}"
    if counts["inom_avrundning"]:
        sentence += f", {fmt.count(counts['inom_avrundning'])} av dem inom avrundning"
    sentence += f"; {fmt.count(counts['avviker'])} avviker" if counts["avviker"] else "; ingen avviker"
    missing = counts["kan_inte_goras"]
    sentence += f", och {fmt.count(missing)} kan inte göras: underlaget saknas." if missing else "."
    shown = {name: count_figure(t, f"kontroll.{name}") for name, t in figures.items()}
    return SimpleNamespace(
        **shown,
        mening=md(sentence),
        # the provenance of the counts, as a group of the values layer gives it: ``kontroll.antal`` → traced
        harledning={f"kontroll.{name}": t for name, t in figures.items() if t.named},
        # a block (never inline: it may be nothing) after the sentence that counts the checks
        ej_gjorda=md(f"*{not_made_sentence(missing)}*") if missing else None,
    )


def family_label(check: Check) -> str:
    """The kind and family of a check in words: ``Årets data: summor``."""
    return f"{KINDS[check.kind]}: {FAMILIES[check.family].lower()}"


def family_summary(checks: Iterable[Check]) -> pd.DataFrame:
    """Per kind and family (in that order): how many checks, how many hold, within rounding, differ."""
    checks = list(checks)
    rows = []
    for kind in KINDS:
        for family in FAMILIES:
            group = [c for c in checks if c.kind == kind and c.family == family]
            if not group:
                continue
            rows.append({"slag": KINDS[kind], "familj": FAMILIES[family], **summary(group)})
    columns = ["slag", "familj", *COUNTS]
    frame = pd.DataFrame(rows, columns=columns)
    # A year with every input has no such column (the 2023 report reads as before).
    return frame if frame["kan_inte_goras"].any() else frame.drop(columns="kan_inte_goras")


def checks_frame(checks: Iterable[Check]) -> pd.DataFrame:
    """Every check as one row with its figures as numbers (decimal point), for the CSV and the site."""
    rows = [
        {
            "id": c.id,
            "slag": KINDS[c.kind],
            "familj": FAMILIES[c.family],
            "kontroll": c.description,
            "uppgift": round(c.expected, 6),
            "beraknat": round(c.actual, 6),
            "skillnad": round(c.difference, 6),
            "enhet": c.unit,
            "skillnadens_enhet": difference_unit(c.unit),
            "jamforelse": c.comparison,
            "tolerans": round(c.tolerance, 6),
            "toleransens_grund": c.tolerance_reason,
            "status": c.status.label,
            "forklaring": c.explanation,
            "indata": " ".join(c.inputs),
            "pastaenden": " ".join(c.claim_ids),
            # the data cells read (file: row key: column), for the computed and the stated figure
            "celler_beraknat": cells_text(c.cells),
            "celler_uppgift": cells_text(c.stated_cells),
        }
        for c in checks
    ]
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


CSV_COLUMNS = [
    "id",
    "slag",
    "familj",
    "kontroll",
    "uppgift",
    "beraknat",
    "skillnad",
    "enhet",
    "skillnadens_enhet",
    "jamforelse",
    "tolerans",
    "toleransens_grund",
    "status",
    "forklaring",
    "indata",
    "pastaenden",
    "celler_beraknat",
    "celler_uppgift",
]


def write_csv(checks: Iterable[Check], path: Path) -> Path:
    """Write the complete list of checks as UTF-8 CSV (comma, decimal point); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = checks_frame(checks)
    for column in frame.select_dtypes(exclude="number").columns:  # text only: numbers stay numbers
        frame[column] = frame[column].map(lambda v: neutralised(v) if isinstance(v, str) else v)
    frame.to_csv(path, index=False, encoding="utf-8")
    return path
