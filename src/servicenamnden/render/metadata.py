"""The report's metadata for Quarto: the title with the year and the title page's facts, per year.

YAML cannot hold inline values, so the pre-render step writes this metadata to a file that
``_quarto.yml`` lists under ``metadata-files``; Quarto reads it after the pre-render step.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from servicenamnden.domain.years import resolve_year
from servicenamnden.io import data
from servicenamnden.present.inline import escape_markdown
from servicenamnden.render import yeartext

METADATA_FILE = "_rapport.yml"
TITLE = "Servicenämndens verksamhetsberättelse och slutrapport för intern kontroll"
SHORT_TITLE = "Verksamhetsberättelse"
STABLE = ("namnd", "kommun", "forvaltning", "beslutsorgan", "kontakt_tillganglighet")
YEARLY = ("sammantradesdatum", "diarienummer", "ansvarig", "ansvarig_titel")


def title(ar: int) -> str:
    """The report's title with its year, as in the HTML ``<title>``, the title block and the PDF."""
    return f"{TITLE} {ar}"


def _text(value: object) -> str | None:
    """A cell as stripped text, or ``None`` when it is empty (absent values are left out)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def title_page(rapport: pd.DataFrame, ar: int) -> dict[str, str]:
    """The title page's facts for ``ar``: committee, municipality and decision body from the latest
    row up to the year; meeting date, diarienummer and official only from the year's own row."""
    earlier = rapport[rapport["ar"] <= ar].sort_values("ar")
    facts: dict[str, str] = {}
    if not earlier.empty:
        latest = earlier.iloc[-1]
        facts.update({k: v for k in STABLE if (v := _text(latest[k]))})
        if int(latest["ar"]) == ar:
            facts.update({k: v for k in YEARLY if (v := _text(latest[k]))})
    return facts


def report_period(ar: int) -> str:
    """The period the report covers, as its date on the title page: the calendar year ``ar``."""
    return f"{ar}-01-01 – {ar}-12-31"


def report_metadata(ar: int, rapport: pd.DataFrame | None = None) -> dict:
    """Quarto metadata for the report year: ``title`` and the ``rapport`` block the typst partials use.

    Pandoc reads metadata strings as Markdown, so the facts from data/rapport.csv are escaped: they
    reach the title page as the text they are.
    """
    rapport = data.load("rapport") if rapport is None else rapport
    facts = {k: escape_markdown(v) for k, v in title_page(rapport, ar).items()}
    block = {
        "ar": str(ar),
        "kort-titel": f"{SHORT_TITLE} {ar}",
        "rapportperiod": report_period(ar),
        **facts,
        **yeartext.metadata(),
    }
    if "ansvarig" in facts and "ansvarig_titel" in facts:
        block["ansvarig-rad"] = f"{facts['ansvarig']}, {facts['ansvarig_titel'].lower()}"
    elif "ansvarig" in facts:
        block["ansvarig-rad"] = facts["ansvarig"]
    block.pop("ansvarig_titel", None)
    # The accessibility statement names the contact, or says plainly that none is given: Quarto shows
    # text by a boolean (``when-meta``), and reads the contact with ``{{< meta rapport.kontakt >}}``.
    kontakt = block.pop("kontakt_tillganglighet", None)
    block["har-kontakt"] = kontakt is not None
    if kontakt is not None:
        block["kontakt"] = kontakt
    return {"title": title(ar), "rapport": block, "villkor": conditions(ar)}


def conditions(ar: int) -> dict[str, bool]:
    """Every registered condition judged on ``ar``'s data (``False`` also when it cannot be judged), for
    Markdown that shows text only when one holds: ``::: {.content-visible when-meta="villkor.NAMN"}``."""
    from servicenamnden.present.values.villkor import VILLKOR

    return {name: condition.galler(data.load, ar) is True for name, condition in VILLKOR.items()}


def write_metadata(root: Path, ar: int) -> Path:
    """Write the metadata file that ``_quarto.yml`` lists; returns its path."""
    target = root / METADATA_FILE
    header = (
        "# Skrivs av pre-render-steget (python -m servicenamnden.render.prerender); ändra inte för hand.\n"
    )
    body = yaml.safe_dump(report_metadata(ar), allow_unicode=True, sort_keys=False)
    target.write_text(header + body, encoding="utf-8")
    return target


def read_metadata(root: Path) -> dict:
    """The metadata the pre-render step last wrote; before its first run, the default year's."""
    path = root / METADATA_FILE
    if not path.exists():
        return report_metadata(resolve_year(None))
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
