"""The claim model of the avstämningar: a claim of the source, a check, its tolerance and status.

A :class:`Check` compares a stated figure (``expected``) with the same quantity computed from the data
(``actual``), within a tolerance whose reason it carries (the rounding of the stated figure and of
the rounded figures it is computed from). Two kinds of check exist:

- ``arets_data``: the year's own data against themselves (a total in one file against its parts in
  another, one quantity stored in two files); run for every report year;
- ``kallan``: a figure printed in a published document (``data/pastaenden.csv``) against the data;
  run only for the year that document reports on.

The rule rows that make the checks live in the family modules and run in :mod:`.engine`. Everything
here is pure: formatting goes through :mod:`servicenamnden.present.fmt`, rounding through
:mod:`servicenamnden.domain.rounding`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from servicenamnden.domain.provenance import Cell
from servicenamnden.domain.rounding import round_half_up
from servicenamnden.present import fmt


class Status(StrEnum):
    """The outcome of a check; the value is the word the report uses in a sentence."""

    STAMMER = "stämmer"
    INOM_AVRUNDNING = "stämmer inom avrundning"
    AVVIKER = "avviker"
    SAKNAS = "kan inte göras: underlaget saknas"  # the year's data lack an input of the check

    @property
    def label(self) -> str:
        """The status as a column of the complete list says it: ``Stämmer inom avrundning``."""
        return self.value[:1].upper() + self.value[1:]

    @property
    def short(self) -> str:
        """The status in the appendix's narrow column: ``Inom avrundning``."""
        return "Inom avrundning" if self is Status.INOM_AVRUNDNING else self.label


STAMMER, INOM_AVRUNDNING, AVVIKER, SAKNAS = Status
STATUS_ORDER = (AVVIKER, SAKNAS, INOM_AVRUNDNING, STAMMER)  # the report's order: differing first

YEAR_DATA, DOCUMENT = "arets_data", "kallan"
KINDS = {YEAR_DATA: "Årets data", DOCUMENT: "Källdokumentets uppgifter"}

FAMILIES = {
    "summa": "Summor",
    "forandring": "Förändringar, kvoter och index",
    "samma_uppgift": "Samma uppgift på två ställen",
    "harledd": "Härledda tal",
}

EQUAL, MORE_THAN, AT_LEAST = "lika med", "mer än", "minst"
EPSILON = 1e-9  # float noise, added to every tolerance
CLAIMS = "pastaenden.csv"

UNIT_LABELS = {
    "procent": "%",
    "procentenheter": "p.e.",
    "km": "km",
    "timmar": "timmar",
    "kg CO2e/kg": "kg CO\u2082e/kg",
}
WHOLE_UNITS = {
    "tkr": "hela tkr",
    "mnkr": "hela mnkr",
    "kr": "hela kronor",
    "procent": "hela procent",
    "procentenheter": "hela procentenheter",
}


@dataclass(frozen=True)
class Claim:
    """A figure the source prints, with the number of decimals it is printed with."""

    id: str
    avsnitt: str
    beskrivning: str
    ar: int
    value: float
    unit: str
    decimals: int
    unverifiable: str = ""  # why nothing can confirm or contradict it (column ej_avstambar), else empty


def claim_cell(claim_id: str) -> Cell:
    """The cell of ``data/pastaenden.csv`` that states a claim's figure."""
    return Cell(CLAIMS.removesuffix(".csv"), (("id", claim_id),), "varde")


def cells_text(cells: tuple[Cell, ...]) -> str:
    """A check's cells as one line of text: ``fil: nyckel v, nyckel v: kolumn`` separated by ``; ``."""
    return "; ".join(f"{c.fil}: {c.key_text()}: {c.kolumn}" for c in cells)


# --- the result of a check ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One avstämning: the stated figure, the computed one, the tolerance and why, the status and kind."""

    id: str
    family: str
    description: str
    inputs: tuple[str, ...]
    expected: float
    actual: float
    tolerance: float
    tolerance_reason: str
    unit: str
    decimals: int
    claim_ids: tuple[str, ...] = ()
    comparison: str = EQUAL
    explanation: str = ""
    kind: str = DOCUMENT
    missing: bool = False  # an input lacks the year: nothing to compare (the explanation says what)
    rule: str = ""  # the id of the rule row that made it: stable from year to year
    # The data cells the check read (file, row key, column; domain/provenance.py's vocabulary): those the
    # computed figure is made of, and those of the stated figure (a claim's row, or a file's own total).
    cells: tuple[Cell, ...] = ()
    stated_cells: tuple[Cell, ...] = ()

    @property
    def difference(self) -> float:
        """Stated minus computed."""
        return self.expected - self.actual

    @property
    def status(self) -> Status:
        """Stämmer when the computed value rounds to the source's; within rounding; or avviker; or, without
        its input, kan inte göras."""
        if self.missing or fmt.is_missing(self.expected) or fmt.is_missing(self.actual):
            return SAKNAS
        if self.comparison == MORE_THAN:
            return STAMMER if self.actual > self.expected else AVVIKER
        if self.comparison == AT_LEAST:
            return STAMMER if self.actual >= self.expected - EPSILON else AVVIKER
        if round_half_up(self.actual, self.decimals) == round_half_up(self.expected, self.decimals):
            return STAMMER
        return INOM_AVRUNDNING if abs(self.difference) <= self.tolerance else AVVIKER

    @property
    def shown_decimals(self) -> int:
        """Decimals to show the computed value with: the source's, one more when that hides a difference."""
        if self.status == SAKNAS:
            return self.decimals
        exact = round_half_up(self.actual, self.decimals)
        return self.decimals if abs(exact - self.actual) < 1e-7 else self.decimals + 1

    @property
    def expected_text(self) -> str:
        """The stated figure as it is printed or stored, in Swedish."""
        return format_amount(self.expected, self.unit, self.decimals)

    @property
    def actual_text(self) -> str:
        """The computed figure, one decimal more when that shows a difference."""
        return format_amount(self.actual, self.unit, self.shown_decimals)

    @property
    def difference_text(self) -> str:
        """The difference; between two percentages it is in procentenheter."""
        return format_amount(self.difference, difference_unit(self.unit), self.shown_decimals, sign=True)


def difference_unit(unit: str) -> str:
    """The unit of a difference: procentenheter between two percentages, else the same unit."""
    return "procentenheter" if unit == "procent" else unit


def format_amount(value: float, unit: str, decimals: int, *, sign: bool = False) -> str:
    """A check's figure in Swedish with its unit, by the one formatter."""
    if unit == "mnkr":
        return fmt.mnkr(value, decimals, sign=sign)
    if unit == "tkr":
        return fmt.tkr(value, decimals, sign=sign)
    if unit == "kr":
        return fmt.kr(value, decimals, sign=sign)
    if unit == "procent":
        return fmt.percent(value, decimals, sign=sign)
    if unit == "procentenheter":
        return fmt.pp(value, decimals, sign=sign, short=True)
    text = fmt.number(value, decimals, sign=sign)
    label = UNIT_LABELS.get(unit)
    return f"{text}{fmt.NBSP}{label}" if label and text != fmt.MISSING else text


def rounding(
    decimals: int, unit: str, inputs: int = 0, input_decimals: int | None = None, *, source: bool = True
) -> tuple[float, str]:
    """Tolerance and reason: the source's rounding plus that of ``inputs`` rounded figures it comes from."""
    step = 10.0**-decimals
    input_decimals = decimals if input_decimals is None else input_decimals
    input_step = 10.0**-input_decimals
    value = step / 2 + inputs * input_step / 2 + EPSILON
    if not inputs:
        if not source:
            return value, f"uppgiften är avrundad till {step_text(decimals, unit)}"
        return value, f"källan avrundar till {step_text(decimals, unit)}"
    half = format_amount(input_step / 2, difference_unit(unit), input_decimals + 1)
    numbers = "ett tal" if inputs == 1 else f"{inputs} tal"
    if input_decimals == decimals:
        return value, (
            f"avrundning till {step_text(decimals, unit)} av {'källans värde' if source else 'uppgiften'} "
            f"och av {numbers} som det räknas ur "
            f"(högst {inputs + 1} × {half})"
        )
    return value, (
        f"{'källan avrundar' if source else 'uppgiften är avrundad'} till {step_text(decimals, unit)} "
        f"och {numbers} som det räknas ur till "
        f"{step_text(input_decimals, unit)} (högst {inputs} × {half})"
    )


def step_text(decimals: int, unit: str) -> str:
    """The rounding step in words: ``0,1 mnkr``, ``hela kronor``."""
    if decimals <= 0:
        return WHOLE_UNITS.get(unit, "heltal")
    return format_amount(10.0**-decimals, unit, decimals)


def both_rounded(decimals: int, reference_decimals: int, unit: str) -> tuple[float, str]:
    """Tolerance for one figure printed in two places: each may be rounded."""
    value = 0.5 * 10.0**-decimals + 0.5 * 10.0**-reference_decimals + EPSILON
    if decimals == reference_decimals:
        return value, f"båda uppgifterna är avrundade till {step_text(decimals, unit)}"
    return value, (
        f"uppgifterna är avrundade till {step_text(decimals, unit)} respektive "
        f"{step_text(reference_decimals, unit)}"
    )


Explain = Callable[[Check], str]


def explain_within_rounding(check: Check) -> str:
    """The default explanation within rounding: the tolerance's reason."""
    return f"Skillnaden ryms i avrundningen: {check.tolerance_reason}."


def stated(check: Check) -> str:
    """Who states the expected figure: the source document, or the year's data."""
    return "källan anger" if check.kind == DOCUMENT else "uppgiften i data är"


def explain_default(check: Check) -> str:
    """The default explanation of a difference: both figures, too far apart for rounding."""
    return (
        f"{stated(check).capitalize()} {check.expected_text}, beräknat ur underlaget blir det {check.actual_text}. "
        "Skillnaden är större än avrundning kan förklara."
    )


def explain_sum(check: Check) -> str:
    """A total that its parts do not give: a typing slip in the total or a part."""
    text = (
        f"Delarna summerar till {check.actual_text}, men {stated(check)} {check.expected_text}. Skillnaden är "
        "större än avrundning kan förklara: troligen ett skrivfel i summan eller i någon av delarna."
    )
    if _single_digit_slip(check.difference):
        exact = format_amount(abs(check.difference), check.unit, 0)
        text += f" Att skillnaden är exakt {exact} tyder på en enda felskriven siffra."
    return text


def _single_digit_slip(difference: float) -> bool:
    """True when a difference is one digit in one place of a whole number (1 000, 20): a mistyped digit."""
    whole = round(abs(difference))
    return whole >= 10 and abs(abs(difference) - whole) < 1e-6 and len(str(whole).rstrip("0")) == 1


def lower_first(text: str) -> str:
    """Lower-case the first letter for use inside a sentence, but keep acronyms (MS ÄO, HR)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def section_name(avsnitt: str) -> str:
    """A section name, short: without the common prefix of the financial statements."""
    return avsnitt.removeprefix("Ekonomisk redovisning – ")


def explain_same(place: str, reference_place: str) -> Explain:
    """One figure printed differently in two places of the source."""

    def explain(check: Check) -> str:
        return (
            f"Samma uppgift står som {check.expected_text} i avsnittet {place} men som {check.actual_text} i "
            f"{reference_place}. Skillnaden är större än avrundning kan förklara; troligen ett skrivfel på ett "
            "av ställena. Källan säger inte vilket värde som gäller."
        )

    return explain
