"""Avstämningar: the source's printed totals, changes and repeated figures reconciled against the data.

Every claim in ``data/pastaenden.csv`` (a figure the source prints: a total, a change, a ratio or a
repeat) is covered by a rule: a small pure function that computes the same quantity from the input
files, or reads the other place the source states it, and compares. The families are

- ``summa``: printed totals and subtotals against the sum of their parts, every year and column;
- ``forandring``: printed changes, ratios and index bases against the computed ones;
- ``samma_uppgift``: one quantity stated in two places of the source;
- ``harledd``: figures derived in the prose (shares, sums of parts, estimates, risk values).

Each :class:`Check` carries a tolerance with its reason (the rounding of the printed figure and of
the rounded figures it is computed from) and a status. A difference beyond the tolerance is reported,
never raised; a rule that cannot be evaluated (a claim without data, a unit mismatch) raises
:class:`~servicenamnden.errors.CheckDefinitionError`. A few claims state only a change whose levels
the source never gives; they are listed in :data:`UNVERIFIABLE` with the reason, not silently skipped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ekonomi, internkontroll, miljo, ms_ao, sjukfranvaro
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.io import data
from servicenamnden.paths import data_dir
from servicenamnden.present import fmt
from servicenamnden.present.fmt import _round_half_up
from servicenamnden.present.inline import md
from servicenamnden.present.values import FULL_TIME_HOURS_PER_WEEK

STAMMER = "stämmer"
INOM_AVRUNDNING = "stämmer inom avrundning"
AVVIKER = "avviker"
STATUS_ORDER = (AVVIKER, INOM_AVRUNDNING, STAMMER)  # the report's order: differing first

FAMILIES = {
    "summa": "Summor",
    "forandring": "Förändringar, kvoter och index",
    "samma_uppgift": "Samma uppgift på två ställen",
    "harledd": "Härledda tal i texten",
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

# Claims the source states once, as a change without the levels before and after: nothing in the
# source can confirm or contradict them. Listed in the appendix with the reason.
UNVERIFIABLE = {
    "ekonomi_drivmedel_forandring": "Källan anger bara den ungefärliga förändringen, inte drivmedelskostnaderna för de två perioderna.",
    "kemikalier_forandring": "Källan anger bara andelen borttagna kemikalier, inte antalet före och efter.",
    "medarbetarenkat_hme_maltidsservice_forandring": "Källan anger bara förändringen för måltidsservice, inte resultaten de två åren.",
    "medarbetarenkat_aktivt_medarbetarskap_forandring": "Källan anger bara förändringen, inte resultaten de två åren.",
    "medarbetarenkat_aterhamtning_forandring": "Källan anger bara förändringen, inte resultaten de två åren.",
    "kok_bemanning_lyckat_forandring": "Källan anger bara förändringen i årsarbetskrafter, inte bemanningen före och efter ombyggnaden.",
    "kok_bemanning_mindre_lyckat_forandring": "Källan anger bara förändringen i årsarbetskrafter, inte bemanningen före och efter ombyggnaden.",
    "livsmedelstransporter_forandring_km": "Källan anger årets körsträcka men inte föregående års, som förändringen räknas från.",
    "livsmedelstransporter_forandring_stopp": "Källan anger årets antal stopp men inte föregående års, som förändringen räknas från.",
}


# --- claims and data --------------------------------------------------------------------------------


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


def read_claims(folder: Path | None = None) -> list[Claim]:
    """The claims of ``data/pastaenden.csv``, validated, with their printed decimals from the file text."""
    folder = Path(folder or data_dir())
    frame = data.load("pastaenden", folder)
    printed = _printed_decimals(folder / CLAIMS)
    return [
        Claim(r.id, r.avsnitt, r.beskrivning, int(r.ar), float(r.varde), r.enhet, printed[r.id])
        for r in frame.itertuples()
    ]


def _printed_decimals(path: Path) -> dict[str, int]:
    """Decimals of each stored value as written (``8.40`` → 2): the precision the source prints."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"]: len(row["varde"].strip().partition(".")[2]) for row in csv.DictReader(handle)}


# Files that hold one year's register (not a time series): checks read the claims' document year.
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
    """The claims and the data files a rule reads; files load on first use (or come from ``tables``)."""

    def __init__(
        self,
        claims: Iterable[Claim] = (),
        tables: Mapping[str, pd.DataFrame] | None = None,
        folder: Path | None = None,
    ) -> None:
        self.claims = {c.id: c for c in claims}
        self._tables = dict(tables or {})
        self.folder = folder

    @classmethod
    def load(cls, folder: Path | None = None) -> Sources:
        """Claims and data from a data folder (the project's ``data/`` by default)."""
        folder = Path(folder or data_dir())
        return cls(read_claims(folder), folder=folder)

    def table(self, name: str) -> pd.DataFrame:
        """A data file, validated; raises :class:`CheckDefinitionError` when an inline set lacks it."""
        if name not in self._tables:
            if self.folder is None:
                raise CheckDefinitionError(f"Avstämningen behöver data/{name}.csv, som saknas.")
            self._tables[name] = self._document_year_rows(name, data.load(name, self.folder))
        return self._tables[name]

    def _document_year_rows(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Year-by-year registers (goals, risks, …) read for the year the claims' document reports."""
        if name not in YEARLY_REGISTERS or "ar" not in frame:
            return frame
        year = data.schema_of(CLAIMS.removesuffix(".csv"), self.folder).extra.get("dokumentets_ar")
        if year is None:
            raise CheckDefinitionError(f"data/{CLAIMS.removesuffix('.csv')}.yml anger inte dokumentets_ar.")
        return frame[frame["ar"] == int(year)].reset_index(drop=True)

    def claim(self, claim_id: str, unit: str) -> Claim:
        """A claim a rule names; a missing claim or another unit is a broken check."""
        if claim_id not in self.claims:
            raise CheckDefinitionError(
                f"Avstämningen hänvisar till påståendet {claim_id}, som saknas i data/{CLAIMS}."
            )
        return _require_unit(self.claims[claim_id], unit)

    def matching(self, pattern: str, unit: str) -> list[tuple[Claim, re.Match[str]]]:
        """Every claim whose id matches ``pattern`` in full (unverifiable ones excepted), unit checked."""
        regex = re.compile(pattern)
        found = []
        for claim_id in sorted(self.claims):
            match = regex.fullmatch(claim_id)
            if match and claim_id not in UNVERIFIABLE:
                found.append((_require_unit(self.claims[claim_id], unit), match))
        return found


def _require_unit(claim: Claim, unit: str) -> Claim:
    if claim.unit != unit:
        raise CheckDefinitionError(
            f"Påståendet {claim.id} i data/{CLAIMS} har enheten '{claim.unit}', "
            f"men avstämningen räknar i '{unit}'."
        )
    return claim


def _no_data(claim: Claim, file: str, what: str) -> CheckDefinitionError:
    return CheckDefinitionError(
        f"Påståendet {claim.id} ({claim.beskrivning}, {claim.ar}) har inga data att stämmas av mot: "
        f"data/{file} saknar {what}."
    )


# --- the result of a check ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One avstämning: the source's figure, the computed one, the tolerance and why, the status."""

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

    @property
    def difference(self) -> float:
        """Source minus computed."""
        return self.expected - self.actual

    @property
    def status(self) -> str:
        """Stämmer when the computed value rounds to the source's; within rounding; or avviker."""
        if self.comparison == MORE_THAN:
            return STAMMER if self.actual > self.expected else AVVIKER
        if self.comparison == AT_LEAST:
            return STAMMER if self.actual >= self.expected - EPSILON else AVVIKER
        if _round_half_up(self.actual, self.decimals) == _round_half_up(self.expected, self.decimals):
            return STAMMER
        return INOM_AVRUNDNING if abs(self.difference) <= self.tolerance else AVVIKER

    @property
    def shown_decimals(self) -> int:
        """Decimals to show the computed value with: the source's, one more when that hides a difference."""
        exact = float(_round_half_up(self.actual, self.decimals))
        return self.decimals if abs(exact - self.actual) < 1e-7 else self.decimals + 1

    @property
    def expected_text(self) -> str:
        """The source's figure as the source prints it, in Swedish."""
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
    decimals: int, unit: str, inputs: int = 0, input_decimals: int | None = None
) -> tuple[float, str]:
    """Tolerance and reason: the source's rounding plus that of ``inputs`` rounded figures it comes from."""
    step = 10.0**-decimals
    input_decimals = decimals if input_decimals is None else input_decimals
    input_step = 10.0**-input_decimals
    value = step / 2 + inputs * input_step / 2 + EPSILON
    if not inputs:
        return value, f"källan avrundar till {_step_text(decimals, unit)}"
    half = format_amount(input_step / 2, difference_unit(unit), input_decimals + 1)
    numbers = "ett tal" if inputs == 1 else f"{inputs} tal"
    if input_decimals == decimals:
        return value, (
            f"avrundning till {_step_text(decimals, unit)} av källans värde och av {numbers} som det räknas ur "
            f"(högst {inputs + 1} × {half})"
        )
    return value, (
        f"källan avrundar till {_step_text(decimals, unit)} och {numbers} som det räknas ur till "
        f"{_step_text(input_decimals, unit)} (högst {inputs} × {half})"
    )


def _step_text(decimals: int, unit: str) -> str:
    if decimals <= 0:
        return WHOLE_UNITS.get(unit, "heltal")
    return format_amount(10.0**-decimals, unit, decimals)


def _both_rounded(decimals: int, reference_decimals: int, unit: str) -> tuple[float, str]:
    """Tolerance for one figure printed in two places: each may be rounded."""
    value = 0.5 * 10.0**-decimals + 0.5 * 10.0**-reference_decimals + EPSILON
    if decimals == reference_decimals:
        return value, f"båda uppgifterna är avrundade till {_step_text(decimals, unit)}"
    return value, (
        f"uppgifterna är avrundade till {_step_text(decimals, unit)} respektive "
        f"{_step_text(reference_decimals, unit)}"
    )


Explain = Callable[[Check], str]


def _check(
    *,
    id: str,
    family: str,
    description: str,
    inputs: Iterable[str],
    expected: float,
    actual: float,
    unit: str,
    decimals: int,
    tolerance: tuple[float, str],
    claim_ids: Iterable[str] = (),
    comparison: str = EQUAL,
    explain: Explain | None = None,
    explain_rounding: Explain | None = None,
) -> Check:
    """Build a check and attach the explanation its status calls for."""
    check = Check(
        id=id,
        family=family,
        description=description,
        inputs=tuple(inputs),
        expected=float(expected),
        actual=float(actual),
        tolerance=tolerance[0],
        tolerance_reason=tolerance[1],
        unit=unit,
        decimals=decimals,
        claim_ids=tuple(claim_ids),
        comparison=comparison,
    )
    if check.status == AVVIKER:
        return replace(check, explanation=(explain or _explain_default)(check))
    if check.status == INOM_AVRUNDNING:
        return replace(check, explanation=(explain_rounding or _explain_rounding)(check))
    return check


def _of_claim(
    claim: Claim,
    *,
    family: str,
    description: str,
    inputs: Iterable[str],
    actual: float,
    tolerance: tuple[float, str],
    **options: object,
) -> Check:
    """A check of one claim (its id, value, unit and printed decimals) against ``actual``."""
    return _check(
        id=claim.id,
        family=family,
        description=description,
        inputs=inputs,
        expected=claim.value,
        actual=actual,
        unit=claim.unit,
        decimals=claim.decimals,
        tolerance=tolerance,
        claim_ids=(claim.id,),
        **options,  # type: ignore[arg-type]
    )


def _explain_rounding(check: Check) -> str:
    return f"Skillnaden ryms i avrundningen: {check.tolerance_reason}."


def _explain_default(check: Check) -> str:
    return (
        f"Källan anger {check.expected_text}, beräknat ur underlaget blir det {check.actual_text}. "
        "Skillnaden är större än avrundning kan förklara."
    )


def _explain_sum(check: Check) -> str:
    text = (
        f"Delarna summerar till {check.actual_text}, men källan anger {check.expected_text}. Skillnaden är "
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


def _lower_first(text: str) -> str:
    """Lower-case the first letter for use inside a sentence, but keep acronyms (MS ÄO, HR)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _place(avsnitt: str) -> str:
    """A section name, short: without the common prefix of the financial statements."""
    return avsnitt.removeprefix("Ekonomisk redovisning – ")


def _explain_same(place: str, reference_place: str) -> Explain:
    def explain(check: Check) -> str:
        return (
            f"Samma uppgift står som {check.expected_text} i avsnittet {place} men som {check.actual_text} i "
            f"{reference_place}. Skillnaden är större än avrundning kan förklara; troligen ett skrivfel på ett "
            "av ställena. Källan säger inte vilket värde som gäller."
        )

    return explain


# --- family 1: sums -----------------------------------------------------------------------------------


def ms_ao_totals(src: Sources) -> list[Check]:
    """MS ÄO: the printed total of every year against the sum of the cost categories."""
    costs = src.table("ms_ao_kostnader")
    totals = ms_ao.totals(costs)
    counts = costs.groupby("ar").size()
    out = []
    for claim, _ in src.matching(r"ms_ao_totalt_\d{4}", "tkr"):
        if claim.ar not in totals.index:
            raise _no_data(claim, "ms_ao_kostnader.csv", f"år {claim.ar}")
        n = int(counts[claim.ar])
        out.append(
            _of_claim(
                claim,
                family="summa",
                description=f"MS ÄO: totalkostnad {claim.ar} mot summan av de {n} kostnadsslagen",
                inputs=("ms_ao_kostnader.csv",),
                actual=float(totals[claim.ar]),
                tolerance=rounding(claim.decimals, "tkr", n),
                explain=_explain_sum,
            )
        )
    return out


RR_LINES = {  # claim post → (line of ekonomi.income_statement, groups of accounts summed, label)
    "summa_intakter": ("summa_intakt", ("intakt",), "summa intäkter"),
    "summa_kostnader": ("summa_kostnad", ("kostnad",), "summa kostnader"),
    "resultat_exkl": (
        "resultat_exkl",
        ("intakt", "kostnad", "finans"),
        "årets resultat exkl. över-/underskott",
    ),
    "summa_rr": ("resultat", ("intakt", "kostnad", "finans", "resultatfond"), "resultat inkl. resultatfond"),
}
TYPE_LABELS = {"utfall": "utfall", "budget": "budget", "avvikelse": "budgetavvikelse"}


def rr_figure(rows: pd.DataFrame, accounts: pd.DataFrame, post: str, ar: int, typ: str) -> tuple[float, int]:
    """A line of the income statement for a year and type, and how many rounded accounts it sums.

    ``avvikelse`` is utfall minus budget, a blank budget counting as zero (as the source's column does).
    """
    if typ == "avvikelse":
        actual, n_actual = rr_figure(rows, accounts, post, ar, "utfall")
        budget, n_budget = rr_figure(rows, accounts, post, ar, "budget")
        return actual - (0.0 if pd.isna(budget) else budget), n_actual + n_budget
    line, groups, _ = RR_LINES.get(post, (post, None, ""))
    statement = ekonomi.income_statement(rows, accounts, ar)
    value = ekonomi.line(statement, line, ekonomi.column_key(ar, typ))
    selected = rows["grupp"].isin(groups) if groups else rows["konto"] == post
    n = int((selected & (rows["ar"] == ar) & (rows["typ"] == typ)).sum())
    return (value if n else float("nan")), n


def resultatrakning_totals(src: Sources) -> list[Check]:
    """Resultaträkningen: every printed sum and budget deviation against the accounts."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    names = dict(zip(accounts["konto"], accounts["benamning"], strict=True))
    out = []
    pattern = r"rr_(?P<post>[a-z_]+?)_(?P<typ>utfall|budget|avvikelse)_\d{4}"
    for claim, match in src.matching(pattern, "mnkr"):
        post, typ = match["post"], match["typ"]
        if post not in RR_LINES and post not in names:
            raise CheckDefinitionError(f"Påståendet {claim.id}: resultaträkningen har ingen rad '{post}'.")
        value, n = rr_figure(rows, accounts, post, claim.ar, typ)
        if pd.isna(value):
            raise _no_data(claim, "resultatrakning.csv", f"{TYPE_LABELS[typ]} {claim.ar} för '{post}'")
        label = RR_LINES[post][2] if post in RR_LINES else names[post].lower()
        what = "utfall minus budget" if typ == "avvikelse" else "summan av kontona"
        out.append(
            _of_claim(
                claim,
                family="summa",
                description=f"Resultaträkningen {claim.ar}: {label}, {TYPE_LABELS[typ]}, mot {what}",
                inputs=("resultatrakning.csv",),
                actual=value,
                tolerance=rounding(claim.decimals, "mnkr", n, 1),
                explain=_explain_sum,
            )
        )
    return out


def area_code(code: str) -> str:
    """The short area code of a claim id (``nls``, ``o3``) as in driftredovisning.csv."""
    if code == "nls":
        return "namnd_ledning_stod"
    match = re.fullmatch(r"o(\d)", code)
    if not match:
        raise CheckDefinitionError(f"Okänd områdeskod '{code}' i ett påstående i data/{CLAIMS}.")
    return f"omrade_{match[1]}"


def area_result(results: pd.DataFrame, omrade: str | None, ar: int, typ: str) -> tuple[float, int]:
    """An area's (or with ``None`` the committee's) utfall, budget or deviation, and the rows it sums."""
    part = results if omrade is None else results[results["omrade"] == omrade]
    if typ == "avvikelse":
        actual, n_actual = area_result(results, omrade, ar, "utfall")
        budget, n_budget = area_result(results, omrade, ar, "budget")
        return actual - budget, n_actual + n_budget
    rows = part[(part["ar"] == ar) & (part["typ"] == typ)]
    return (float(rows["belopp_mnkr"].sum()) if len(rows) else float("nan")), len(rows)


def driftredovisning_totals(src: Sources) -> list[Check]:
    """Driftredovisningen: the committee's sum per column and every area's budget deviation."""
    results = src.table("driftredovisning")
    names = dict(zip(src.table("omraden")["omrade"], src.table("omraden")["benamning"], strict=True))
    out = []
    specs = [
        (r"drift_summa_(?P<typ>utfall|budget|avvikelse)_\d{4}", lambda m: None),
        (r"drift_avvikelse_(?P<omr>[a-z0-9]+)_\d{4}", lambda m: area_code(m["omr"])),
    ]
    for pattern, area_of in specs:
        for claim, match in src.matching(pattern, "mnkr"):
            omrade = area_of(match)
            typ = match.groupdict().get("typ") or "avvikelse"
            value, n = area_result(results, omrade, claim.ar, typ)
            if pd.isna(value) or not n:
                raise _no_data(claim, "driftredovisning.csv", f"{TYPE_LABELS[typ]} {claim.ar}")
            who = "summa servicenämnden" if omrade is None else _lower_first(names.get(omrade, omrade))
            what = "utfall minus budget" if typ == "avvikelse" else "summan av områdena"
            out.append(
                _of_claim(
                    claim,
                    family="summa",
                    description=f"Driftredovisningen {claim.ar}: {who}, {TYPE_LABELS[typ]}, mot {what}",
                    inputs=("driftredovisning.csv",),
                    actual=value,
                    tolerance=rounding(claim.decimals, "mnkr", n, 1),
                    explain=_explain_sum,
                )
            )
    return out


INVESTMENT_ROWS = {  # claim row code → (column to select on, value or None for all rows, label)
    "fastighet": ("projekt", "Fastighetsinvesteringar (kf)", "fastighetsinvesteringar"),
    "namnd": ("projekt", "Nämndbeslutad investering", "nämndbeslutad investering"),
    "anlaggning_summa": ("grupp", "Anläggningsinvesteringar (kf)", "summa anläggningsinvesteringar"),
    "summa": (None, None, "summa investeringsredovisning"),
}
INVESTMENT_MEASURES = {  # claim measure → (outcome measure, budget measure or None, label)
    "utfall_ack_totalt": ("utfall_ack_totalt", None, "utfall ack. totalt"),
    "utfall_ack_helar": ("utfall_ack_helar", None, "utfall ack. december"),
    "budget_helar": ("budget_helar", None, "budget helår"),
    "avvikelse": ("utfall_ack_totalt", "total_projektbudget", "avvikelse mot total projektbudget"),
    "avvikelse_helar": ("utfall_ack_helar", "budget_helar", "avvikelse helår"),
}


def _investment_rows(rows: pd.DataFrame, code: str, ar: int) -> pd.DataFrame:
    column, value, _ = INVESTMENT_ROWS[code]
    part = rows[rows["ar"] == ar]
    return part if column is None else part[part[column] == value]


def investment_figure(rows: pd.DataFrame, code: str, measure: str, ar: int) -> tuple[float, int]:
    """A line and column of the investment table (a blank budget counts as zero), and the rows summed."""
    outcome, budget, _ = INVESTMENT_MEASURES[measure]
    part = _investment_rows(rows, code, ar)
    used = part[part["matt"] == outcome]
    if not len(used):
        return float("nan"), 0
    value = float(used["belopp_mnkr"].sum())
    n = len(used)
    if budget:
        budgets = part[part["matt"] == budget]
        value -= float(budgets["belopp_mnkr"].sum())
        n += len(budgets)
    return value, n


def investment_totals(src: Sources) -> list[Check]:
    """Investeringsredovisningen: every sum and deviation, and the sum of the forecast deviations."""
    rows = src.table("investeringar")
    out = []
    pattern = rf"inv_(?P<rad>{'|'.join(INVESTMENT_ROWS)})_(?P<matt>{'|'.join(INVESTMENT_MEASURES)})"
    for claim, match in src.matching(pattern, "mnkr"):
        value, n = investment_figure(rows, match["rad"], match["matt"], claim.ar)
        if not n:
            raise _no_data(claim, "investeringar.csv", f"{match['matt']} {claim.ar}")
        what = "utfall minus budget" if INVESTMENT_MEASURES[match["matt"]][1] else "summan av raderna"
        out.append(
            _of_claim(
                claim,
                family="summa",
                description=(
                    f"Investeringar {claim.ar}: {INVESTMENT_ROWS[match['rad']][2]}, "
                    f"{INVESTMENT_MEASURES[match['matt']][2]}, mot {what}"
                ),
                inputs=("investeringar.csv",),
                actual=value,
                tolerance=rounding(claim.decimals, "mnkr", n, 1),
                explain=_explain_sum,
            )
        )
    out.extend(_forecast_deviation_sums(src))
    return out


def _forecast_deviation_sums(src: Sources) -> list[Check]:
    """The sum rows' forecast deviation against the rows' printed ones (the forecast itself is not printed)."""
    out = []
    for claim, match in src.matching(r"inv_(?P<rad>summa|anlaggning_summa)_prognosavvikelse", "mnkr"):
        rows = _investment_rows(src.table("investeringar"), match["rad"], claim.ar)
        codes = [
            c
            for c, (col, val, _) in INVESTMENT_ROWS.items()
            if col == "projekt" and val in set(rows["projekt"])
        ]
        parts = [
            src.claims[f"inv_{c}_prognosavvikelse"]
            for c in codes
            if f"inv_{c}_prognosavvikelse" in src.claims
        ]
        if not parts:
            raise _no_data(claim, CLAIMS, "prognosavvikelse för raderna i summan")
        out.append(
            _check(
                id=claim.id,
                family="summa",
                description=f"Investeringar {claim.ar}: {INVESTMENT_ROWS[match['rad']][2]}, prognosavvikelse, mot raderna",
                inputs=(CLAIMS,),
                expected=claim.value,
                actual=sum(p.value for p in parts),
                unit="mnkr",
                decimals=claim.decimals,
                tolerance=rounding(claim.decimals, "mnkr", len(parts), 1),
                claim_ids=(claim.id, *(p.id for p in parts)),
                explain=_explain_sum,
            )
        )
    return out


SCHOOL_FORMS = {"forskola": "förskolan", "grundskola": "grundskolan", "gymnasiet": "gymnasiet"}
WASTE_KINDS = {"totalt": "totalt", "servering": "serveringssvinn", "tallrik": "tallrikssvinn"}


def food_waste_totals(src: Sources) -> list[Check]:
    """Matsvinn per school form: the printed total against serving plus plate waste."""
    waste = src.table("matsvinn")
    out = []
    for claim, match in src.matching(r"matsvinn_(?P<form>forskola|grundskola|gymnasiet)_totalt", "procent"):
        forms = miljo.food_waste(waste, claim.ar).set_index("verksamhet")
        if match["form"] not in forms.index or pd.isna(forms.loc[match["form"], "totalt"]):
            raise _no_data(claim, "matsvinn.csv", f"serverings- och tallrikssvinn {claim.ar}")
        out.append(
            _of_claim(
                claim,
                family="summa",
                description=f"Matsvinn {claim.ar} i {SCHOOL_FORMS[match['form']]}: totalt mot serveringssvinn plus tallrikssvinn",
                inputs=("matsvinn.csv",),
                actual=float(forms.loc[match["form"], "totalt"]),
                tolerance=rounding(claim.decimals, "procent"),
                explain=_explain_sum,
            )
        )
    return out


# --- family 2: changes, ratios, index bases ----------------------------------------------------------


def _fee_table(src: Sources) -> pd.DataFrame:
    return bav.wide(src.table("brukaravgifter"), src.table("abonnemang"))


def fee_yearly_changes(src: Sources) -> list[Check]:
    """The one printed yearly change against every subscription's own change.

    The source prints one row for all subscriptions: a common percentage, each fee then rounded to
    whole kronor. So a fee of ``F`` kronor can differ from the common change by up to 0,5 / F.
    """
    table = _fee_table(src)
    names = bav.labels(src.table("abonnemang"))
    changes = bav.yearly_change(table)
    out = []
    for claim, _ in src.matching(r"brukaravgift_forandring_\d{4}", "procent"):
        ar = claim.ar
        if ar not in table.columns or ar - 1 not in table.columns:
            raise _no_data(claim, "brukaravgifter.csv", f"avgifterna {ar - 1} och {ar}")
        for code in table.index:
            before, after = float(table.loc[code, ar - 1]), float(table.loc[code, ar])
            step = 0.5 * 10.0**-claim.decimals
            tolerance = step + 50 / before + EPSILON
            reason = (
                f"källans gemensamma procentsats är avrundad till {_step_text(claim.decimals, 'procent')} och "
                f"avgiften till hela kronor (±0,5 kr av {fmt.kr(before)}, högst {fmt.pp(tolerance, 2, sign=False)})"
            )
            out.append(
                _check(
                    id=f"{claim.id}_{code}",
                    family="forandring",
                    description=f"Brukaravgift {names[code].lower()}: förändring {ar - 1}–{ar} mot källans rad",
                    inputs=("brukaravgifter.csv",),
                    expected=claim.value,
                    actual=float(changes.loc[code, ar]),
                    unit="procent",
                    decimals=claim.decimals,
                    tolerance=(tolerance, reason),
                    claim_ids=(claim.id,),
                    explain=_explain_fee(before, after),
                    explain_rounding=_explain_fee(before, after),
                )
            )
    return out


def _explain_fee(before: float, after: float) -> Explain:
    def explain(check: Check) -> str:
        exact = before * (1 + check.expected / 100)
        rounded = float(_round_half_up(exact, 0))
        if check.status == INOM_AVRUNDNING and rounded == after:
            return (
                f"Avrundning till hela kronor: källans gemensamma {check.expected_text} på {fmt.kr(before)} ger "
                f"{fmt.kr(exact, 2)}, avrundat {fmt.kr(after)}, som är avgiften."
            )
        if check.status == INOM_AVRUNDNING:
            return _explain_rounding(check)
        return (
            f"Avgiften ändrades med {check.actual_text}, inte med källans gemensamma {check.expected_text}; "
            "skillnaden är större än avrundning till hela kronor kan förklara. Källans rad gäller inte detta abonnemang."
        )

    return explain


def fee_changes_since_base(src: Sources) -> list[Check]:
    """The one printed change since the base year against every subscription's own change.

    Each yearly increase is rounded to whole kronor, so the error grows with every step: at most
    0,5 kr per increase, carried forward by the later increases (``Σ 0,5 × F_ar / F_k``).
    """
    table = _fee_table(src)
    names = bav.labels(src.table("abonnemang"))
    out = []
    for claim, match in src.matching(r"brukaravgift_sedan_(?P<bas>\d{4})_\d{4}", "procent"):
        base, ar = int(match["bas"]), claim.ar
        years = [y for y in table.columns if base < y <= ar]
        if base not in table.columns or ar not in table.columns:
            raise _no_data(claim, "brukaravgifter.csv", f"avgifterna {base} och {ar}")
        for code in table.index:
            fees = table.loc[code]
            carried = sum(0.5 * fees[ar] / fees[y] for y in years)
            tolerance = 0.5 * 10.0**-claim.decimals + 100 * carried / fees[base] + EPSILON
            steps = "höjningen" if len(years) == 1 else f"var och en av {len(years)} höjningar"
            reason = (
                f"källans procentsats är avrundad till {_step_text(claim.decimals, 'procent')} och avgiften till "
                f"hela kronor vid {steps} (högst {fmt.pp(tolerance, 2, sign=False)})"
            )
            out.append(
                _check(
                    id=f"{claim.id}_{code}",
                    family="forandring",
                    description=f"Brukaravgift {names[code].lower()}: förändring {base}–{ar} mot källans rad",
                    inputs=("brukaravgifter.csv",),
                    expected=claim.value,
                    actual=float((fees[ar] / fees[base] - 1) * 100),
                    unit="procent",
                    decimals=claim.decimals,
                    tolerance=(tolerance, reason),
                    claim_ids=(claim.id,),
                )
            )
    return out


def fee_change_compounded(src: Sources) -> list[Check]:
    """The printed change since the base year against the printed yearly changes compounded."""
    out = []
    for claim, match in src.matching(r"brukaravgift_sedan_(?P<bas>\d{4})_\d{4}", "procent"):
        base = int(match["bas"])
        yearly = [src.claim(f"brukaravgift_forandring_{y}", "procent") for y in range(base + 1, claim.ar + 1)]
        factors = [1 + c.value / 100 for c in yearly]
        product = 1.0
        for factor in factors:
            product *= factor
        spread = sum(0.5 * 10.0**-c.decimals * product / f for c, f in zip(yearly, factors, strict=True))
        tolerance = 0.5 * 10.0**-claim.decimals + spread + EPSILON
        out.append(
            _check(
                id=f"{claim.id}_sammansatt",
                family="forandring",
                description=f"Brukaravgifter: förändring {base}–{claim.ar} mot källans årliga förändringar sammansatta",
                inputs=(CLAIMS,),
                expected=claim.value,
                actual=(product - 1) * 100,
                unit="procent",
                decimals=claim.decimals,
                tolerance=(
                    tolerance,
                    f"källans {len(yearly) + 1} procentsatser är avrundade till {_step_text(claim.decimals, 'procent')}",
                ),
                claim_ids=(claim.id, *(c.id for c in yearly)),
            )
        )
    return out


def sick_leave_changes(src: Sources) -> list[Check]:
    """Sick leave: the printed change (in procentenheter) against the two years' figures."""
    frame = src.table("sjukfranvaro")
    out = []
    pattern = r"sjukfranvaro_forandring_(?:(?P<grupp>kvinnor|man|totalt)_)?(?P<kalla>tabell|rullande_text)"
    for claim, match in src.matching(pattern, "procentenheter"):
        group = match["grupp"] or "totalt"
        period = sjukfranvaro.ROLLING if match["kalla"] == "rullande_text" else sjukfranvaro.FULL_YEAR
        now = sjukfranvaro.value(frame, claim.ar, group, period)
        before = sjukfranvaro.value(frame, claim.ar - 1, group, period)
        if pd.isna(now) or pd.isna(before):
            raise _no_data(claim, "sjukfranvaro.csv", f"{group} {period} för {claim.ar - 1} och {claim.ar}")
        measure = (
            "rullande tolv månader, texten"
            if period == sjukfranvaro.ROLLING
            else "helår, tabellen, som skriver procent men avser procentenheter"
        )
        out.append(
            _of_claim(
                claim,
                family="forandring",
                description=(
                    f"Sjukfrånvaro {sjukfranvaro.GROUP_LABELS[group].lower()} ({measure}): förändring "
                    f"{claim.ar - 1}–{claim.ar} i procentenheter"
                ),
                inputs=("sjukfranvaro.csv",),
                actual=now - before,
                tolerance=rounding(claim.decimals, "procentenheter", 2, 1),
            )
        )
    return out


def count_changes(src: Sources) -> list[Check]:
    """Printed changes of counts and survey indices against the two years' figures."""
    specs = (
        (r"arbetsskador_(?P<kind>utan|med)_franvaro_forandring", "antal", "arbetsmiljo", "handelse", "antal"),
        (r"medarbetarenkat_(?P<kind>[a-z_]+)_forandring", "index", "medarbetarenkat", "matt", "varde"),
    )
    out = []
    for pattern, unit, table_name, key, value_column in specs:
        frame = src.table(table_name)
        for claim, match in src.matching(pattern, unit):
            name = f"arbetsskada_{match['kind']}_franvaro" if table_name == "arbetsmiljo" else match["kind"]
            values = frame[frame[key] == name].set_index("ar")[value_column]
            if claim.ar not in values.index or claim.ar - 1 not in values.index:
                raise _no_data(claim, f"{table_name}.csv", f"'{name}' för {claim.ar - 1} och {claim.ar}")
            out.append(
                _of_claim(
                    claim,
                    family="forandring",
                    description=f"{claim.beskrivning}: {claim.ar - 1}–{claim.ar}",
                    inputs=(f"{table_name}.csv",),
                    actual=float(values[claim.ar] - values[claim.ar - 1]),
                    tolerance=rounding(claim.decimals, unit),
                )
            )
    return out


def charging_points_ratio(src: Sources) -> list[Check]:
    """ "Fördubblats": this year's charging points at least the printed multiple of last year's."""
    figures = src.table("miljo_nyckeltal")
    out = []
    for claim, _ in src.matching(r"laddpunkter_fordubbling", "kvot"):
        now = miljo.key_figure(figures, "laddpunkter", claim.ar)
        before = miljo.key_figure(figures, "laddpunkter", claim.ar - 1)
        if pd.isna(now) or pd.isna(before):
            raise _no_data(claim, "miljo_nyckeltal.csv", f"laddpunkter {claim.ar - 1} och {claim.ar}")
        out.append(
            _of_claim(
                claim,
                family="forandring",
                description=f"Laddpunkter: antalet {claim.ar} mot {claim.ar - 1} (källan: har fördubblats)",
                inputs=("miljo_nyckeltal.csv",),
                actual=now / before,
                tolerance=(0.0, "påståendet är en nedre gräns (minst en fördubbling)"),
                comparison=AT_LEAST,
            )
        )
    return out


def ms_ao_index_bases(src: Sources) -> list[Check]:
    """MS ÄO: each index row must start from the base year's total cost, as its heading says."""
    costs, indices = src.table("ms_ao_kostnader"), src.table("ms_ao_index")
    base = ms_ao.base_year(costs)
    total = float(ms_ao.totals(costs)[base])
    n = int((costs["ar"] == base).sum())
    printed = src.claims.get(f"ms_ao_totalt_{base}")
    out = []
    for serie, part in indices.groupby("serie", sort=False):
        start = part.loc[part["ar"] == base, "kostnad_enligt_index_tkr"]
        if not len(start) or pd.isna(start.iloc[0]):
            raise CheckDefinitionError(f"data/ms_ao_index.csv saknar basårets ({base}) värde för {serie}.")
        out.append(
            _check(
                id=f"ms_ao_indexbas_{serie}",
                family="forandring",
                description=f"MS ÄO: raden {ms_ao.SERIES_LABELS[serie].lower()} börjar på totalkostnaden {base}",
                inputs=("ms_ao_index.csv", "ms_ao_kostnader.csv"),
                expected=float(start.iloc[0]),
                actual=total,
                unit="tkr",
                decimals=0,
                tolerance=rounding(0, "tkr", n),
                explain=_explain_index_base(base, printed),
            )
        )
    return out


def _explain_index_base(base: int, printed: Claim | None) -> Explain:
    def explain(check: Check) -> str:
        text = f"Indexraden börjar på {check.expected_text}, men kostnadsslagen {base} summerar till {check.actual_text}."
        if printed is not None and abs(printed.value - check.expected) < EPSILON:
            text += (
                f" Raden utgår alltså från källans tryckta total för {base}; felet i den (se totalkostnaden "
                f"{base}) följer med in i jämförelsen med index."
            )
        return text

    return explain


# --- family 3: the same quantity in two places -------------------------------------------------------


def _same_check(
    claim: Claim,
    *,
    label: str,
    reference: float,
    reference_decimals: int,
    reference_place: str,
    inputs: Iterable[str],
    check_id: str | None = None,
    claim_ids: Iterable[str] = (),
    explain: Explain | None = None,
) -> Check:
    place = _place(claim.avsnitt)
    return _check(
        id=check_id or claim.id,
        family="samma_uppgift",
        description=f"{label} {claim.ar}: {place} mot {reference_place}",
        inputs=inputs,
        expected=claim.value,
        actual=reference,
        unit=claim.unit,
        decimals=claim.decimals,
        tolerance=_both_rounded(claim.decimals, reference_decimals, claim.unit),
        claim_ids=(claim.id, *claim_ids),
        explain=explain or _explain_same(place, reference_place),
    )


CLAIM_REPEATS = (  # (pattern, unit, id of the table's figure, label, id suffix of the check)
    (
        r"resultat_(?!exkl_)[a-z_]+",
        "mnkr",
        "rr_summa_rr_utfall_{ar}",
        "Nämndens resultat inkl. resultatfond",
        "",
    ),
    (
        r"resultat_exkl_resultatfond_[a-z_]+",
        "mnkr",
        "rr_resultat_exkl_utfall_{ar}",
        "Nämndens resultat exkl. resultatfond",
        "",
    ),
    (r"drift_summa_utfall_\d{4}", "mnkr", "rr_summa_rr_utfall_{ar}", "Nämndens resultat", "_mot_rr"),
)


def repeated_claims(src: Sources) -> list[Check]:
    """A figure of a table restated elsewhere (cover letter, summary, another table) against the table."""
    out = []
    for pattern, unit, reference_id, label, suffix in CLAIM_REPEATS:
        for claim, _ in src.matching(pattern, unit):
            reference = src.claim(reference_id.format(ar=claim.ar), unit)
            explain = _explain_tables_differ if suffix else None
            out.append(
                _same_check(
                    claim,
                    label=label,
                    reference=reference.value,
                    reference_decimals=reference.decimals,
                    reference_place=f"avsnittet {_place(reference.avsnitt)}",
                    inputs=(CLAIMS,),
                    check_id=f"{claim.id}{suffix}",
                    claim_ids=(reference.id,),
                    explain=explain,
                )
            )
    return out


def _explain_tables_differ(check: Check) -> str:
    return (
        f"Driftredovisningen anger {check.expected_text} och resultaträkningen {check.actual_text} som nämndens "
        "resultat samma år. Skillnaden är större än avrundning kan förklara, och källan förklarar den inte."
    )


Reference = tuple[float, int, str, tuple[str, ...]]  # value, printed decimals, place, files


def _fund_withdrawal(src: Sources, claim: Claim) -> Reference:
    value, n = rr_figure(
        src.table("resultatrakning"), src.table("konton"), "over_underskott", claim.ar, "utfall"
    )
    if not n:
        raise _no_data(claim, "resultatrakning.csv", f"över-/underskott {claim.ar}")
    return value, 1, "resultaträkningen (över-/underskott)", ("resultatrakning.csv",)


def _rolling_sick_leave(src: Sources, claim: Claim) -> Reference:
    value = sjukfranvaro.value(src.table("sjukfranvaro"), claim.ar, "totalt", sjukfranvaro.ROLLING)
    if pd.isna(value):
        raise _no_data(claim, "sjukfranvaro.csv", f"rullande tolv månader till november {claim.ar}")
    return value, 1, "avsnittet Medarbetare (rullande tolv månader)", ("sjukfranvaro.csv",)


def _fossil_share(src: Sources, claim: Claim) -> Reference:
    rows = src.table("fossilfritt")
    hit = rows[(rows["ar"] == claim.ar) & (rows["period"] == "helar") & (rows["typ"] == "utfall")]
    if not len(hit):
        raise _no_data(claim, "fossilfritt.csv", f"helårsutfall {claim.ar}")
    return float(hit["andel_procent"].iloc[0]), 1, "huvudprocessen Transporter (helår)", ("fossilfritt.csv",)


def _customer_dialogue(src: Sources, claim: Claim) -> Reference:
    rows = src.table("kunddialog")
    hit = rows[(rows["matt"] == "samlad_bedomning") & (rows["ar"] == claim.ar)]
    if not len(hit):
        raise _no_data(claim, "kunddialog.csv", f"samlad bedömning {claim.ar}")
    return float(hit["betyg"].iloc[0]), 2, "avsnittet Processkvalitet", ("kunddialog.csv",)


def _key_figure(name: str, decimals: int) -> Callable[[Sources, Claim], Reference]:
    def reference(src: Sources, claim: Claim) -> Reference:
        figures = src.table("ovriga_nyckeltal")
        value = miljo.key_figure(figures, name, claim.ar)
        if pd.isna(value):
            raise _no_data(claim, "ovriga_nyckeltal.csv", f"nyckeltalet '{name}' för {claim.ar}")
        place = str(figures.loc[figures["nyckeltal"] == name, "avsnitt"].iloc[0])
        return value, decimals, f"avsnittet {_place(place)}", ("ovriga_nyckeltal.csv",)

    return reference


DATA_REPEATS = (  # (pattern, unit, where the data hold the figure, label)
    (r"resultatfond_[a-z_]+", "mnkr", _fund_withdrawal, "Uttag ur resultatfonden"),
    (r"sjukfranvaro_rullande_[a-z_]+", "procent", _rolling_sick_leave, "Rullande sjukfrånvaro"),
    (r"fossilfritt_[a-z_]+", "procent", _fossil_share, "Andel fossilfritt drivmedel"),
    (r"kunddialog_samlad_\d{4}_[a-z_]+", "betyg", _customer_dialogue, "Kunddialoger, samlad bedömning"),
    (
        r"svenskt_naringsliv_upphandling_[a-z_]+",
        "betyg",
        _key_figure("svenskt_naringsliv_upphandling", 1),
        "Svenskt Näringsliv, poäng för upphandling",
    ),
    (r"feriearbetare_[a-z_]+", "antal", _key_figure("feriearbetare", 0), "Feriearbetare"),
    (
        r"forskningsprojekt_enheter_[a-z_]+",
        "antal",
        _key_figure("forskningsprojekt_enheter", 0),
        "Enheter i forskningsprojektet",
    ),
    (
        r"forskningsprojekt_langd_[a-z_]+",
        "antal",
        _key_figure("forskningsprojekt_langd", 0),
        "Forskningsprojektets längd i år",
    ),
    (r"kok_nedlagda_internkontroll", "antal", _key_figure("kok_nedlagda_aldreomsorg", 0), "Nedlagda kök"),
    (
        r"kok_nedlagda_medarbetare_internkontroll",
        "antal",
        _key_figure("kok_nedlagda_medarbetare", 0),
        "Medarbetare i nedlagda kök",
    ),
    (
        r"ms_transport_prisokning_ms_ao",
        "procent",
        _key_figure("ms_transport_prisokning", 0),
        "Prisökning för köpta transporter",
    ),
    (
        r"ms_transport_prisokning_budget_ms_ao",
        "procent",
        _key_figure("ms_transport_prisokning_budget", 0),
        "Budgeterad prisökning för köpta transporter",
    ),
)


def repeated_data(src: Sources) -> list[Check]:
    """A figure the data hold from one section, restated in another section of the source."""
    out = []
    for pattern, unit, reference_of, label in DATA_REPEATS:
        for claim, _ in src.matching(pattern, unit):
            value, decimals, place, files = reference_of(src, claim)
            out.append(
                _same_check(
                    claim,
                    label=label,
                    reference=value,
                    reference_decimals=decimals,
                    reference_place=place,
                    inputs=files,
                )
            )
    return out


def budget_restated(src: Sources) -> list[Check]:
    """The budgets the text compares the adjusted figures with, against the income statement."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    out = []
    for claim, match in src.matching(r"rr_text_(?P<post>intakter|personal)_budget", "mnkr"):
        post, sign, label = ADJUSTED_POSTS[match["post"]]
        value, n = rr_figure(rows, accounts, post, claim.ar, "budget")
        if not n:
            raise _no_data(claim, "resultatrakning.csv", f"budget {claim.ar}")
        out.append(
            _same_check(
                claim,
                label=f"Budgeterade {label}",
                reference=sign * value,
                reference_decimals=1,
                reference_place="resultaträkningen (budget)",
                inputs=("resultatrakning.csv",),
            )
        )
    return out


def sick_leave_table_against_rolling(src: Sources) -> list[Check]:
    """Sick leave: the summary's rolling twelve months next to the table's calendar year."""
    frame = src.table("sjukfranvaro")
    out = []
    for ar in sorted(set(frame["ar"])):
        rolling = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.ROLLING)
        year = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.FULL_YEAR)
        if pd.isna(rolling) or pd.isna(year):
            continue
        out.append(
            _check(
                id=f"sjukfranvaro_rullande_mot_helar_{ar}",
                family="samma_uppgift",
                description=f"Sjukfrånvaro totalt {ar}: text och sammanfattning (rullande) mot tabellen (helår)",
                inputs=("sjukfranvaro.csv",),
                expected=rolling,
                actual=year,
                unit="procent",
                decimals=1,
                tolerance=_both_rounded(1, 1, "procent"),
                explain=_explain_periods(ar),
            )
        )
    return out


def _explain_periods(ar: int) -> Explain:
    def explain(check: Check) -> str:
        return (
            f"Olika mätperioder, inget fel i källan: texten och sammanfattningen anger rullande tolv månader "
            f"december {ar - 1}–november {ar} ({check.expected_text}), tabellen medel för januari–december {ar} "
            f"({check.actual_text})."
        )

    return explain


GOAL_DETAILS = {  # mal_id → (file, how to find the detail row, column, label)
    "klimatbelastning": (
        "klimatbelastning",
        {"skolform": "totalt"},
        "kg_co2e_per_kg",
        "klimatbelastning totalt",
    ),
    "nara_livsmedel": ("nara_livsmedel", {}, "andel_procent", "andel nära livsmedel"),
    "ekologiska_livsmedel": (
        "miljo_nyckeltal",
        {"nyckeltal": "ekologiska_livsmedel_kostnad"},
        "varde",
        "andel ekologiskt",
    ),
    "greenhack": (
        "miljo_nyckeltal",
        {"nyckeltal": "greenhack_andel_enheter"},
        "varde",
        "andel enheter med Greenhack",
    ),
    "avtalstrohet": ("miljo_nyckeltal", {"nyckeltal": "avtalstrohet_forvaltningen"}, "varde", "avtalstrohet"),
}


def goal_register_against_details(src: Sources) -> list[Check]:
    """The environmental goal register repeats outcomes of the detail files; they must agree."""
    goals = src.table("miljomal").set_index("mal_id")
    out = []
    for goal, (file, where, column, label) in GOAL_DETAILS.items():
        if goal not in goals.index:
            continue
        detail = src.table(file)
        for key, value in where.items():
            detail = detail[detail[key] == value]
        year = int(detail["ar"].max())
        pairs = [("utfall", year, "utfall")]
        if not pd.isna(goals.loc[goal, "jamforelsevarde"]):
            pairs.append(("jamforelsevarde", int(goals.loc[goal, "jamforelse_ar"]), "jämförelsevärde"))
        for register_column, ar, what in pairs:
            hit = detail.loc[detail["ar"] == ar, column]
            if not len(hit):
                raise CheckDefinitionError(f"data/{file}.csv saknar {label} för {ar} (miljömålet {goal}).")
            unit = str(goals.loc[goal, "enhet"])
            out.append(
                _check(
                    id=f"miljomal_{goal}_{register_column}",
                    family="samma_uppgift",
                    description=f"Miljömål {label}: {what} {ar} i målregistret mot data/{file}.csv",
                    inputs=("miljomal.csv", f"{file}.csv"),
                    expected=float(goals.loc[goal, register_column]),
                    actual=float(hit.iloc[0]),
                    unit=unit,
                    decimals=2 if unit == "kg CO2e/kg" else 0,
                    tolerance=(EPSILON, "samma tal lagrat två gånger; de ska vara lika"),
                )
            )
    return out


def control_deviations_listed(src: Sources) -> list[Check]:
    """Internal control: each risk's number of deviations against the deviations listed one by one."""
    risks = src.table("internkontroll_risker")
    listed = src.table("internkontroll_avvikelser").groupby("risk_nr").size()
    out = []
    for risk in risks.itertuples():
        count = listed.get(risk.nr, 0)
        if pd.isna(risk.antal_avvikelser) and not count:
            continue
        out.append(
            _check(
                id=f"ik_avvikelser_risk_{risk.nr}",
                family="samma_uppgift",
                description=f"Internkontroll, risk {risk.nr}: antal avvikelser mot de avvikelser som beskrivs",
                inputs=("internkontroll_risker.csv", "internkontroll_avvikelser.csv"),
                expected=0.0 if pd.isna(risk.antal_avvikelser) else float(risk.antal_avvikelser),
                actual=float(count),
                unit="antal",
                decimals=0,
                tolerance=(EPSILON, "antal, exakt"),
            )
        )
    return out


def _explanation_tree(src: Sources) -> pd.DataFrame:
    return src.table("avvikelser_omraden").set_index("post_id")


def _budget_year(results: pd.DataFrame) -> int:
    """The year the area explanations are about: the latest with a budget in driftredovisning.csv."""
    return int(results.loc[results["typ"] == "budget", "ar"].max())


def explained_amount(tree: pd.DataFrame, results: pd.DataFrame, post: str, ar: int) -> tuple[float, int, str]:
    """An explained item's amount: stored, an area's result (a root), or the sum of its parts.

    Returns the amount, the number of rounded figures behind it and where it comes from.
    """
    if post not in tree.index:
        raise CheckDefinitionError(f"data/avvikelser_omraden.csv har ingen post '{post}'.")
    row = tree.loc[post]
    if not pd.isna(row["belopp_mnkr"]):
        return float(row["belopp_mnkr"]), 1, str(row["avsnitt"])
    if pd.isna(row["overordnad"]) and row["omrade"] in set(results["omrade"]):
        value, n = area_result(results, row["omrade"], ar, "avvikelse")
        return value, n, "driftredovisningen"
    parts = tree[(tree["overordnad"] == post) & (tree["relation"] == "del")]
    if not len(parts):
        raise CheckDefinitionError(
            f"Posten '{post}' i data/avvikelser_omraden.csv har varken belopp eller delposter."
        )
    amounts = [explained_amount(tree, results, p, ar) for p in parts.index]
    return sum(a for a, _, _ in amounts), sum(n for _, n, _ in amounts), "summan av delposterna"


ITEM_ALIASES = {
    "drift_text_ms_ao_resultat": "o4_ms_ao",
    "rr_text_inhyrd_konsulter": "namnden_inhyrd_konsulter",
}


def explained_items(src: Sources) -> list[Check]:
    """Amounts in the area texts: a repeat of a stored item (or area result), or the sum of its parts."""
    tree, results = _explanation_tree(src), src.table("driftredovisning")
    areas = src.table("omraden").set_index("omrade")
    found = [
        (c, m["post"])
        for c, m in src.matching(r"(?:drift_text|ekonomi)_(?P<post>(?:nls|o\d)_[a-z_]+)", "mnkr")
    ]
    found += [(src.claim(cid, "mnkr"), post) for cid, post in ITEM_ALIASES.items() if cid in src.claims]
    out = []
    for claim, post in found:
        value, n, origin = explained_amount(tree, results, post, claim.ar)
        row = tree.loc[post]
        area = areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden"
        label = f"{area}, {_lower_first(str(row['post']))}"
        if origin == "summan av delposterna":
            out.append(
                _of_claim(
                    claim,
                    family="harledd",
                    description=f"{label} {claim.ar}: {_place(claim.avsnitt)} mot summan av delposterna",
                    inputs=("avvikelser_omraden.csv",),
                    actual=value,
                    tolerance=rounding(claim.decimals, "mnkr", n, 1),
                    explain=_explain_sum,
                )
            )
            continue
        file = "driftredovisning.csv" if origin == "driftredovisningen" else "avvikelser_omraden.csv"
        out.append(
            _same_check(
                claim,
                label=label,
                reference=value,
                reference_decimals=1,
                reference_place=origin if origin == "driftredovisningen" else f"avsnittet {origin}",
                inputs=(file,),
            )
        )
    return out


# --- family 4: figures derived in the prose ----------------------------------------------------------


def explained_parts(src: Sources) -> list[Check]:
    """Items whose parts the text says make up the whole: the parts against the whole's amount."""
    tree, results = _explanation_tree(src), src.table("driftredovisning")
    ar = _budget_year(results)
    out = []
    areas = src.table("omraden").set_index("omrade")
    parents = tree[tree["relation"] == "del"]["overordnad"].unique()
    for parent in parents:
        row = tree.loc[parent]
        is_root = pd.isna(row["overordnad"]) and row["omrade"] in set(results["omrade"])
        if pd.isna(row["belopp_mnkr"]) and not is_root:
            continue  # a sum the source prints in the text: checked against that claim
        whole, n_whole = (
            area_result(results, row["omrade"], ar, "avvikelse")
            if is_root
            else (float(row["belopp_mnkr"]), 1)
        )
        parts = tree[(tree["overordnad"] == parent) & (tree["relation"] == "del")]
        amounts = [explained_amount(tree, results, p, ar) for p in parts.index]
        names = _join([_lower_first(str(tree.loc[p, "post"])) for p in parts.index])
        area = areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden"
        out.append(
            _check(
                id=f"delar_{parent}",
                family="harledd",
                description=f"{area}, {_lower_first(str(row['post']))} {ar}: delarna {names} mot helheten",
                inputs=("avvikelser_omraden.csv",) + (("driftredovisning.csv",) if is_root else ()),
                expected=whole,
                actual=sum(a for a, _, _ in amounts),
                unit="mnkr",
                decimals=1,
                tolerance=rounding(1, "mnkr", n_whole - 1 + sum(n for _, n, _ in amounts), 1),
                explain=_explain_sum,
            )
        )
    return out


AREA_UNITS = {  # area → (items that the text gives per unit, units of the area the text leaves out)
    "omrade_2": (("o2_hr_enheterna", "o2_kommunikation"), ""),
    "omrade_3": (("o3_ekonomiservice_bokslut", "o3_upphandling"), "nämnd och registratur"),
}


def area_unit_results(src: Sources) -> list[Check]:
    """The units' results the text gives for an area against the area's result in the table."""
    tree, results = _explanation_tree(src), src.table("driftredovisning")
    areas = src.table("omraden").set_index("omrade")
    ar = _budget_year(results)
    out = []
    for area, (items, left_out) in AREA_UNITS.items():
        whole, n = area_result(results, area, ar, "avvikelse")
        amounts = [explained_amount(tree, results, item, ar)[0] for item in items]
        names = _join([_lower_first(str(tree.loc[i, "post"])) for i in items])
        out.append(
            _check(
                id=f"enheter_{area}",
                family="harledd",
                description=f"{areas.loc[area, 'benamning']} {ar}: resultaten för {names} mot områdets resultat",
                inputs=("avvikelser_omraden.csv", "driftredovisning.csv"),
                expected=whole,
                actual=sum(amounts),
                unit="mnkr",
                decimals=1,
                tolerance=rounding(1, "mnkr", n - 1 + len(items), 1),
                explain=_explain_unexplained(left_out),
            )
        )
    return out


def _join(items: list[str]) -> str:
    """``a, b och c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _explain_unexplained(left_out: str) -> Explain:
    def explain(check: Check) -> str:
        text = (
            f"Texten anger resultat för en del av områdets enheter, tillsammans {check.actual_text}; områdets "
            f"resultat är {check.expected_text}. Resten, {check.difference_text}, förklaras inte i texten"
        )
        return text + (f"; det bör avse {left_out}, som texten inte nämner." if left_out else ".")

    return explain


ADJUSTED_POSTS = {  # claim post → (income statement line, sign making amounts positive, label)
    "intakter": ("summa_intakter", 1, "intäkter"),
    "personal": ("personalkostnader", -1, "personalkostnader"),
}


def adjusted_comparison(src: Sources) -> list[Check]:
    """Revenue and personnel costs without the internal substitute pool, and their budget deviations."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    adjustments = src.table("ekonomi_justeringar")
    out = []
    pattern = r"rr_text_(?P<post>intakter|personal)_(?P<matt>justerade|avvikelse_justerad)"
    for claim, match in src.matching(pattern, "mnkr"):
        post, sign, label = ADJUSTED_POSTS[match["post"]]
        konton = set(rows.loc[rows["grupp"] == "intakt", "konto"]) if post == "summa_intakter" else {post}
        pool = adjustments[(adjustments["ar"] == claim.ar) & adjustments["konto"].isin(konton)]["belopp_mnkr"]
        actual, n = rr_figure(rows, accounts, post, claim.ar, "utfall")
        if not n or not len(pool):
            raise _no_data(
                claim, "resultatrakning.csv och ekonomi_justeringar.csv", f"utfall och justering {claim.ar}"
            )
        adjusted = sign * actual - float(pool.sum())
        value, inputs = adjusted, n + len(pool)
        what = f"{label} utan intern vikariepool: texten mot utfallet minus poolens {fmt.mnkr(pool.sum())}"
        if match["matt"] == "avvikelse_justerad":
            budget, n_budget = rr_figure(rows, accounts, post, claim.ar, "budget")
            value = (adjusted - sign * budget) * sign
            inputs += n_budget
            what = f"avvikelse mot budget för {label} utan intern vikariepool: texten mot beräknad"
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Resultaträkningen {claim.ar}, {what}",
                inputs=("resultatrakning.csv", "ekonomi_justeringar.csv"),
                actual=value,
                tolerance=rounding(claim.decimals, "mnkr", inputs, 1),
            )
        )
    return out


def areas_reaching_budget(src: Sources) -> list[Check]:
    """ "Only område 2 reaches budget": the number of areas whose result is at least their budget."""
    results = src.table("driftredovisning")
    out = []
    for claim, _ in src.matching(r"omraden_nar_budget_[a-z_]+", "antal"):
        areas = sorted(a for a in set(results["omrade"]) if a.startswith("omrade_"))
        deviations = [area_result(results, a, claim.ar, "avvikelse")[0] for a in areas]
        if not areas or all(pd.isna(d) for d in deviations):
            raise _no_data(claim, "driftredovisning.csv", f"utfall och budget {claim.ar}")
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Områden som når budget {claim.ar}: {_place(claim.avsnitt)} mot driftredovisningen",
                inputs=("driftredovisning.csv",),
                actual=float(sum(d >= 0 for d in deviations)),
                tolerance=(EPSILON, "antal, exakt"),
            )
        )
    return out


def environmental_goals_met(src: Sources) -> list[Check]:
    """Goals met, not met and in all, counted from target and outcome (the source's own word where no figure)."""
    goals = src.table("miljomal")
    waste, figures = src.table("matsvinn"), src.table("miljo_nyckeltal")
    out = []
    for claim, match in src.matching(r"miljomal_(?P<what>uppnadda|ej_uppnadda|antal)_[a-z_]+", "antal"):
        assessed = miljo.goals(goals, waste, figures, claim.ar)
        met, total = miljo.goals_met(assessed)
        value = {"uppnadda": met, "ej_uppnadda": total - met, "antal": total}[match["what"]]
        what = {"uppnadda": "som nås", "ej_uppnadda": "som inte nås", "antal": "totalt"}[match["what"]]
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Miljömål {what} {claim.ar}: {_place(claim.avsnitt)} mot målvärde och utfall",
                inputs=("miljomal.csv", "matsvinn.csv", "miljo_nyckeltal.csv"),
                actual=float(value),
                tolerance=(EPSILON, "antal, exakt"),
            )
        )
    return out


def school_food_waste(src: Sources) -> list[Check]:
    """Matsvinn for all school forms: the unweighted mean of förskola, grundskola and gymnasiet.

    The source does not say how it combines the forms; the unweighted mean gives its figures.
    """
    waste = src.table("matsvinn")
    out = []
    for claim, match in src.matching(r"matsvinn_skola_(?P<kind>totalt|servering|tallrik)", "procent"):
        forms = miljo.food_waste(waste, claim.ar)
        if forms.empty:
            raise _no_data(claim, "matsvinn.csv", f"år {claim.ar}")
        value = miljo.school_food_waste(forms)[match["kind"]]
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Matsvinn {claim.ar} i hela skolan, {WASTE_KINDS[match['kind']]}: ovägt medelvärde av skolformerna",
                inputs=("matsvinn.csv",),
                actual=value,
                tolerance=rounding(claim.decimals, "procent"),
            )
        )
    return out


def environment_ratios(src: Sources) -> list[Check]:
    """Shares and ratios in the environmental follow-up: furniture reused, stops per point and month."""
    figures = src.table("miljo_nyckeltal")
    specs = (
        (
            "mobler_aterbruk_andel",
            "procent",
            miljo.furniture_reuse_share,
            "Möbler återbrukade: (inkomna − kasserade) / inkomna",
        ),
        (
            "livsmedelstransporter_stopp_per_punkt",
            "antal",
            miljo.stops_per_point_and_month,
            "Livsmedelstransporter: stopp / leveranspunkter / månader",
        ),
    )
    out = []
    for claim_id, unit, compute, label in specs:
        for claim, _ in src.matching(claim_id, unit):
            value = compute(figures, claim.ar)
            if pd.isna(value):
                raise _no_data(claim, "miljo_nyckeltal.csv", f"underlaget för {claim.ar}")
            out.append(
                _of_claim(
                    claim,
                    family="harledd",
                    description=f"{label}, {claim.ar}",
                    inputs=("miljo_nyckeltal.csv",),
                    actual=value,
                    tolerance=rounding(claim.decimals, unit),
                )
            )
    return out


def estimates_in_prose(src: Sources) -> list[Check]:
    """Estimates: staff time saved by electric cars, the net effect of closing the restaurants."""
    figures = src.table("ovriga_nyckeltal")
    out = []
    for claim, _ in src.matching(r"ekonomi_elbilar_arsarbetare", "antal"):
        cars = miljo.key_figure(figures, "elbilar_i_kommunen", claim.ar)
        hours = miljo.key_figure(figures, "tidsbesparing_per_elbil", claim.ar)
        if pd.isna(cars) or pd.isna(hours):
            raise _no_data(claim, "ovriga_nyckeltal.csv", f"elbilar och sparad tid {claim.ar}")
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=(
                    f"Elbilar {claim.ar}: {fmt.count(cars)} bilar × {fmt.number(hours)} timme i veckan, omräknat "
                    f"till heltider à {FULL_TIME_HOURS_PER_WEEK} timmar (källan: mer än {fmt.number(claim.value)})"
                ),
                inputs=("ovriga_nyckeltal.csv",),
                actual=cars * hours / FULL_TIME_HOURS_PER_WEEK,
                tolerance=(
                    0.0,
                    f"påståendet är en nedre gräns; heltid antagen till {FULL_TIME_HOURS_PER_WEEK} timmar i veckan",
                ),
                comparison=MORE_THAN,
            )
        )
    for claim, _ in src.matching(r"drift_text_ms_ao_restauranger_netto", "mnkr"):
        parts = [
            miljo.key_figure(figures, n, claim.ar)
            for n in ("ms_ao_restauranger_effekt", "von_restauranger_kostnad")
        ]
        if any(pd.isna(p) for p in parts):
            raise _no_data(claim, "ovriga_nyckeltal.csv", f"restaurangstängningens effekter {claim.ar}")
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Stängda restauranger {claim.ar}: nettoeffekt för kommunen = effekt för MS ÄO + kostnad för vård och omsorg",
                inputs=("ovriga_nyckeltal.csv",),
                actual=sum(parts),
                tolerance=rounding(claim.decimals, "mnkr", 2),
            )
        )
    return out


def internal_control(src: Sources) -> list[Check]:
    """Internal control: risk value = probability × consequence, and the counts the summaries state."""
    risks = internkontroll.risk_values(src.table("internkontroll_risker")).set_index("nr")
    out = []
    for claim, match in src.matching(r"ik_riskvarde_(?P<nr>\d+)", "poäng"):
        nr = int(match["nr"])
        if nr not in risks.index:
            raise _no_data(claim, "internkontroll_risker.csv", f"risk {nr}")
        row = risks.loc[nr]
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Internkontroll, risk {nr}: riskvärde = sannolikhet {int(row['sannolikhet'])} × konsekvens {int(row['konsekvens'])}",
                inputs=("internkontroll_risker.csv",),
                actual=float(row["riskvarde"]),
                tolerance=(EPSILON, "heltal, exakt"),
            )
        )
    sampled = risks[risks["kontrollmetod"] == "stickprov"]
    counts = {
        "antal_risker": (float(len(risks)), "prioriterade risker"),
        "antal_stickprov": (float(len(sampled)), "risker kontrollerade med stickprov"),
        "antal_utvecklingspunkt": (
            float((risks["kontrollmetod"] == "utvecklingspunkt").sum()),
            "risker som utvecklingspunkt",
        ),
        "stickprov_avvikelser": (
            float(sampled["antal_avvikelser"].fillna(0).sum()),
            "avvikelser i stickproven",
        ),
    }
    pattern = rf"ik_(?P<what>{'|'.join(counts)})_[a-z_]+"
    for claim, match in src.matching(pattern, "antal"):
        value, label = counts[match["what"]]
        explain = (
            _explain_sample_deviations(sampled, _place(claim.avsnitt))
            if match["what"] == "stickprov_avvikelser"
            else None
        )
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Internkontroll {claim.ar}, {label}: {_place(claim.avsnitt)} mot riskregistret",
                inputs=("internkontroll_risker.csv",),
                actual=value,
                tolerance=(EPSILON, "antal, exakt"),
                explain=explain,
            )
        )
    return out + _follow_up_share(src)


def _explain_sample_deviations(sampled: pd.DataFrame, place: str) -> Explain:
    def explain(check: Check) -> str:
        found = sampled[sampled["antal_avvikelser"].fillna(0) > 0]
        details = " ".join(f"Risk {nr}: {row['resultat']}" for nr, row in found.iterrows())
        return (
            f"Avsnittet {place} säger att stickproven inte visade några avvikelser, men granskningarna fann "
            f"{fmt.count(check.actual)}. {details} Texten räknar troligen bara lagbrott och "
            "otillbörlig påverkan som avvikelser, inte avsteg från kommunens egna riktlinjer."
        )

    return explain


def _follow_up_share(src: Sources) -> list[Check]:
    follow_up = src.table("internkontroll_2022")
    out = []
    for claim, _ in src.matching(r"ik_\d{4}_apt_inbokat", "procent"):
        hit = follow_up[follow_up["atgard"].str.contains("APT", na=False)]["andel_genomfort_procent"].dropna()
        if len(hit) != 1:
            raise _no_data(claim, "internkontroll_2022.csv", "en andel för APT-åtgärden")
        out.append(
            _of_claim(
                claim,
                family="harledd",
                description=f"Uppföljning {claim.ar}: andel enheter med APT-informationen inbokad = 100 − andel genomförda",
                inputs=("internkontroll_2022.csv",),
                actual=100 - float(hit.iloc[0]),
                tolerance=rounding(claim.decimals, "procent", 1, 0),
            )
        )
    return out


# --- running the rules -------------------------------------------------------------------------------

RULES: dict[str, tuple[Callable[[Sources], list[Check]], ...]] = {
    "summa": (
        ms_ao_totals,
        resultatrakning_totals,
        driftredovisning_totals,
        investment_totals,
        food_waste_totals,
    ),
    "forandring": (
        fee_yearly_changes,
        fee_changes_since_base,
        fee_change_compounded,
        sick_leave_changes,
        count_changes,
        charging_points_ratio,
        ms_ao_index_bases,
    ),
    "samma_uppgift": (
        repeated_claims,
        repeated_data,
        budget_restated,
        explained_items,
        sick_leave_table_against_rolling,
        goal_register_against_details,
        control_deviations_listed,
    ),
    "harledd": (
        explained_parts,
        area_unit_results,
        adjusted_comparison,
        areas_reaching_budget,
        environmental_goals_met,
        school_food_waste,
        environment_ratios,
        estimates_in_prose,
        internal_control,
    ),
}


def evaluate(src: Sources) -> list[Check]:
    """Every rule on the given sources, the differing checks first (then by family, in rule order)."""
    checks = [check for rules in RULES.values() for rule in rules for check in rule(src)]
    seen: set[str] = set()
    for check in checks:
        if check.id in seen:
            raise CheckDefinitionError(f"Två avstämningar har samma id '{check.id}'.")
        seen.add(check.id)
    families = list(FAMILIES)
    return sorted(checks, key=lambda c: (STATUS_ORDER.index(c.status), families.index(c.family)))


def run_all(folder: Path | None = None) -> list[Check]:
    """Every avstämning on the data in ``folder`` (the project's ``data/`` by default)."""
    return evaluate(Sources.load(folder))


def unchecked_claims(folder: Path | None = None) -> list[str]:
    """Claim ids no rule covers and that are not declared unverifiable (the goal is none)."""
    covered = {claim_id for check in run_all(folder) for claim_id in check.claim_ids}
    return sorted(c.id for c in read_claims(folder) if c.id not in covered and c.id not in UNVERIFIABLE)


def unverifiable_claims(folder: Path | None = None) -> list[tuple[Claim, str]]:
    """The stored claims the source gives no figures to check against, each with the reason."""
    return [(c, UNVERIFIABLE[c.id]) for c in read_claims(folder) if c.id in UNVERIFIABLE]


# --- summaries ---------------------------------------------------------------------------------------


def summary(checks: Iterable[Check]) -> dict[str, int]:
    """Counts: all checks and per status."""
    statuses = [c.status for c in checks]
    return {
        "kontroller": len(statuses),
        "stammer": statuses.count(STAMMER),
        "inom_avrundning": statuses.count(INOM_AVRUNDNING),
        "avviker": statuses.count(AVVIKER),
    }


def summary_line(checks: Iterable[Check]) -> str:
    """One Swedish line for ``make check``: how many checks, how many hold, within rounding, differ."""
    counts = summary(checks)
    return (
        f"Avstämningar: {counts['kontroller']} kontroller, {counts['stammer']} stämmer, "
        f"{counts['inom_avrundning']} stämmer inom avrundning, {counts['avviker']} avviker."
    )


def difference_line(check: Check) -> str:
    """One line for a differing check: id, the two figures and the difference."""
    return (
        f"Avviker: {check.id}: källan {check.expected_text}, beräknat {check.actual_text} "
        f"(skillnad {check.difference_text})"
    )


def checks_values(checks: Iterable[Check]) -> SimpleNamespace:
    """Counts for the Sammanfattning's sentence on the data checks, as inline Markdown."""
    counts = summary(checks)
    holding = counts["stammer"] + counts["inom_avrundning"]
    sentence = f"Av {fmt.count(counts['kontroller'])} avstämningar av källans summor, förändringar och upprepade uppgifter stämmer {fmt.count(holding)}"
    if counts["inom_avrundning"]:
        sentence += f", {fmt.count(counts['inom_avrundning'])} av dem inom avrundning"
    sentence += f"; {fmt.count(counts['avviker'])} avviker." if counts["avviker"] else "; ingen avviker."
    return SimpleNamespace(
        antal=md(fmt.count(counts["kontroller"])),
        stammer=md(fmt.count(counts["stammer"])),
        inom_avrundning=md(fmt.count(counts["inom_avrundning"])),
        haller=md(fmt.count(holding)),
        avviker=md(fmt.count(counts["avviker"])),
        mening=md(sentence),
    )
