"""The accessibility statement's measurements: what ``tests/test_quarto_site.py`` measured on the real site.

The real-render tests write their results to :data:`RESULTS_FILE` and, made from it, the Markdown that
``tillganglighet.qmd`` includes (:data:`INCLUDE_FILE`): the date of the measurement, what held, what did
not hold, and what was not measured. Both are committed (Quarto reads an include before the pre-render
step runs), and ``tests/test_statement.py`` keeps the Markdown equal to what the results give. The
statement therefore claims only what the tests measured, on the day they measured it.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

RESULTS_FILE = "assets/tillganglighet-matningar.yml"
INCLUDE_FILE = "assets/_tillganglighet-matningar.md"
HELD, FAILED, NOT_MEASURED = "uppfyllt", "inte uppfyllt", "inte mätt"

# Each claim the statement may make, in the order it lists them; the key is what the tests record.
CLAIMS: dict[str, str] = {
    "axe": "verktyget axe-core hittar inga brister mot WCAG 2.1 nivå A och AA på någon sida, i någon av "
    "bredderna",
    "sidled": "ingen sida behöver rullas i sidled på mobilen",
    "innehall-tacker-inte": "innehållsförteckningen täcker aldrig texten",
    "innehall-mobil": "på mobilen kan innehållsförteckningen fällas ut ovanför texten",
    "hoppa-lank": "det första tangentbordet når på varje sida är länken ”Hoppa till texten”",
    "kontrast-sidhuvud": "länkarna och knapparna i beräkningssidornas sidhuvud har minst 4,5:1 i kontrast mot "
    "bakgrunden",
    "tillbaka-lank": "”Tillbaka till rapporten” är en vanlig länk till rapporten",
    "breda-tabeller": "breda tabeller rullas i sidled i sin egen ruta på mobilen, med första kolumnen kvar",
    "inget-utifran": "sidorna hämtar ingenting från andra webbplatser och laddas utan skriptfel",
    "pdf": "PDF-filen är taggad, har svenska som språk och kan läsas av ett program utan fel",
}
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december".split()


def swedish_date(day: datetime.date) -> str:
    """``2026-12-03`` as ``3 december 2026``, as the statement writes it.

    >>> swedish_date(datetime.date(2026, 12, 3))
    '3 december 2026'
    """
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def outcome(cases: list[bool], expected: int) -> str:
    """A claim's result from its recorded cases: held only when every expected case was measured and held.

    >>> outcome([True, True], 2), outcome([True, False], 2), outcome([True], 2), outcome([], 2)
    ('uppfyllt', 'inte uppfyllt', 'inte mätt', 'inte mätt')
    """
    if not all(cases):
        return FAILED
    return HELD if cases and len(cases) >= expected else NOT_MEASURED


def results_document(results: dict[str, str], day: datetime.date, quarto: str, pages: int) -> dict:
    """The results file's content: the date, the Quarto version, the pages, and each claim's result."""
    return {
        "datum": day.isoformat(),
        "quarto": quarto,
        "sidor": pages,
        "bredder": [390, 1366],
        "resultat": {key: results.get(key, NOT_MEASURED) for key in CLAIMS},
    }


def write_results(root: Path, document: dict) -> Path:
    """Write the results file and the statement's Markdown made from it (the tests call this once,
    after the module's tests); returns the results file."""
    target = root / RESULTS_FILE
    header = "# Skrivs av tests/test_quarto_site.py efter mätningen på den riktiga webbplatsen; ändra inte för hand.\n"
    target.write_text(
        header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    write_include(root)
    return target


def read_results(root: Path) -> dict:
    """The committed results, or an empty dict when the site has never been measured."""
    path = root / RESULTS_FILE
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _items(keys: list[str]) -> str:
    return "\n".join(f"- {CLAIMS[k]};" for k in keys)[:-1] + "."


def statement_markdown(results: dict) -> str:
    """The statement's section on the measurements, in Swedish Markdown, from the results file."""
    if not results.get("datum"):
        return (
            "Webbplatsen som Quarto bygger den har ännu inte mätts. Redogörelsen påstår därför inget om "
            "vad webbplatsen uppfyller.\n"
        )
    day = swedish_date(datetime.date.fromisoformat(str(results["datum"])))
    found = results.get("resultat", {})
    by = {state: [k for k in CLAIMS if found.get(k, NOT_MEASURED) == state] for state in (HELD, FAILED)}
    missing = [k for k in CLAIMS if k not in by[HELD] and k not in by[FAILED]]
    parts = [
        f"Mätningarna gjordes den {day} på webbplatsen som Quarto {results.get('quarto', '')} bygger den "
        f"({results.get('sidor', 'alla')} sidor), i webbläsaren Chromium, på en skärm som är 390 bildpunkter "
        "bred (som en mobiltelefon) och på en som är 1 366 bildpunkter bred (som en dator). Redogörelsen "
        "påstår bara det som mätningarna visade."
    ]
    if by[HELD]:
        parts.append("Mätningarna visade att\n\n" + _items(by[HELD]))
    if by[FAILED]:
        parts.append("Detta klarade webbplatsen **inte** vid mätningen:\n\n" + _items(by[FAILED]))
    if missing:
        parts.append("Detta mättes inte den gången, och redogörelsen påstår det inte:\n\n" + _items(missing))
    return "\n\n".join(parts) + "\n"


def write_include(root: Path) -> Path:
    """Write the Markdown that ``tillganglighet.qmd`` includes, from the committed results."""
    target = root / INCLUDE_FILE
    target.write_text(statement_markdown(read_results(root)), encoding="utf-8")
    return target
