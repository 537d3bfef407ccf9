"""The one loop of the avstämningar: every rule row, every case the row finds, one check each.

A rule family is a table of :class:`Rule` rows (``claims_*.py`` for the document's claims, ``year.py``
for the year's own data). A row says what is compared with what (``compute``, and for the document's
claims the ids it judges, ``claims``), the words of the check (``description`` and ``check_id``,
templates filled with the row's words), the tolerance and its reason, and the explanation of a
difference. ``compute`` returns one :class:`Found` per comparison: the computed figure and, where the
row cannot know them in advance, the figures behind it. :func:`apply` runs one row; nothing else loops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from servicenamnden.domain.provenance import Cell
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.reconcile.model import (
    AVVIKER,
    DOCUMENT,
    EPSILON,
    EQUAL,
    INOM_AVRUNDNING,
    SAKNAS,
    Check,
    Claim,
    Explain,
    both_rounded,
    claim_cell,
    explain_default,
    explain_within_rounding,
    rounding,
    section_name,
)
from servicenamnden.reconcile.sources import Sources


@dataclass(frozen=True)
class Found:
    """One comparison a rule finds: the computed figure and what the row cannot know in advance."""

    actual: float = float("nan")
    n: int = 0  # rounded figures behind ``actual``: each adds its half step to the tolerance
    words: Mapping[str, Any] = field(default_factory=dict)  # fill the row's templates
    expected: float | None = None  # the stated figure; None: the claim's value
    claim: Claim | None = None  # set by the loop for a row over claims
    claim_ids: tuple[str, ...] = ()  # further claims the check reads (the claim itself comes first)
    unit: str | None = None  # None: the claim's unit, else the row's
    decimals: int | None = None  # None: the claim's printed decimals, else the row's
    reference_decimals: int = 1  # the other place's printed decimals (tolerance :data:`BOTH_ROUNDED`)
    tolerance: tuple[float, str] | None = None  # a tolerance that depends on the figures
    explain: Explain | None = None  # an explanation that depends on the figures (when the row has none)
    inputs: tuple[str, ...] | None = None  # files, when they depend on the case
    id: str | None = None  # an id outside the row's template (the whole year lacking, say)
    description: str | None = None  # a description outside the row's template (likewise)
    lacking: str | None = None  # the year's data lack an input: a check that cannot be made
    cells: tuple[Cell, ...] = ()  # the data cells ``actual`` is computed from
    stated_cells: tuple[Cell, ...] = ()  # the cells of ``expected`` when the data state it (not a claim)


Tolerance = Callable[[int, str, Found], tuple[float, str]]


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: what is compared with what, within which tolerance and why."""

    id: str  # stable from year to year: what provenance links to
    family: str
    compute: Callable[..., Found | Iterable[Found] | None]  # (src, claim, match) over claims, else (src)
    description: str  # template: {ar}, {beskrivning}, {place} (a claim's) and the Found's words
    tolerance: Tolerance
    inputs: tuple[str, ...] = ()
    claims: str = ""  # the claim ids the row judges (a full-match pattern); empty: the year's own data
    unit: str = ""  # the claims' unit, or the unit of the year's figures
    decimals: int = 0  # the figures' decimals, for the year's own data
    check_id: str = "{claim}"  # template of each check's id
    explain: Explain | None = None  # a difference beyond rounding; default: both figures in words
    explains_rounding: bool = False  # the explanation also says why a difference is within rounding
    comparison: str = EQUAL
    kind: str = DOCUMENT


def rounded(input_decimals: int | None = None, *, source: bool = True) -> Tolerance:
    """The figure's own rounding plus half a step for each of the ``n`` rounded figures it is computed from."""
    return lambda decimals, unit, found: rounding(decimals, unit, found.n, input_decimals, source=source)


def exact(reason: str) -> Tolerance:
    """No tolerance beyond float noise: counts, and one figure stored twice."""
    return lambda decimals, unit, found: (EPSILON, reason)


def bound(reason: str) -> Tolerance:
    """A lower bound (``minst``, ``mer än``): no rounding, the reason says why."""
    return lambda decimals, unit, found: (0.0, reason)


def both(decimals: int, unit: str, found: Found) -> tuple[float, str]:
    """One figure printed in two places, each rounded as printed."""
    return both_rounded(decimals, found.reference_decimals, unit)


def computed(decimals: int, unit: str, found: Found) -> tuple[float, str]:
    """The tolerance the case computed with its figures (fees rounded to whole kronor)."""
    assert found.tolerance is not None, "the rule computes its tolerance"
    return found.tolerance


def findings(rule: Rule, src: Sources) -> list[Found]:
    """What one row finds: per matching claim (the claim set on each), or once on the year's data."""
    if not rule.claims:
        return _as_list(rule.compute(src))
    found = []
    for claim, match in src.matching(rule.claims, rule.unit):
        found += [replace(f, claim=claim) for f in _as_list(rule.compute(src, claim, match))]
    return found


def _as_list(result: Found | Iterable[Found] | None) -> list[Found]:
    """A compute function's result as a list: one comparison, several, or none."""
    if result is None:
        return []
    return [result] if isinstance(result, Found) else list(result)


def apply(rule: Rule, src: Sources) -> list[Check]:
    """Every check one row makes on the sources."""
    return [check_of(rule, found) for found in findings(rule, src)]


def run_rules(rules: Iterable[Rule], src: Sources) -> list[Check]:
    """Every check the rows make, row by row in the table's order: the one loop of the stage."""
    return [check for rule in rules for check in apply(rule, src)]


def _words(found: Found) -> dict[str, Any]:
    """The words a row's templates are filled with: the claim's, then the case's own."""
    claim = found.claim
    if claim is None:
        return dict(found.words)
    own = {
        "claim": claim.id,
        "ar": claim.ar,
        "beskrivning": claim.beskrivning,
        "place": section_name(claim.avsnitt),
    }
    return {**own, **found.words}


def _filled(rule: Rule, template: str, words: Mapping[str, Any]) -> str:
    """A row's template filled with the case's words; a word the case lacks is a broken rule."""
    try:
        return template.format(**words)
    except KeyError as exc:
        raise CheckDefinitionError(
            f"Avstämningsregeln {rule.id}: mallen '{template}' nämner {exc}, som fallet inte har."
        ) from None


def _expected(found: Found) -> float:
    """The stated figure: the case's, else its claim's; none when the year's data lack an input."""
    if found.lacking:
        return float("nan")
    if found.expected is not None:
        return float(found.expected)
    assert found.claim is not None, "a row over the year's data states its expected figure"
    return float(found.claim.value)


def _unique(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """The cells in the order first read, each once."""
    return tuple(dict.fromkeys(cells))


def check_of(rule: Rule, found: Found) -> Check:
    """The check of one comparison, with the explanation its status calls for."""
    words, claim = _words(found), found.claim
    unit = found.unit or (claim.unit if claim else rule.unit)
    decimals = found.decimals if found.decimals is not None else (claim.decimals if claim else rule.decimals)
    check = Check(
        id=found.id or _filled(rule, rule.check_id, words),
        family=rule.family,
        description=found.description or _filled(rule, rule.description, words),
        inputs=found.inputs if found.inputs is not None else rule.inputs,
        expected=_expected(found),
        actual=float(found.actual),
        tolerance=0.0,
        tolerance_reason="",
        unit=unit,
        decimals=decimals,
        claim_ids=((claim.id,) if claim else ()) + found.claim_ids,
        comparison=rule.comparison,
        kind=rule.kind,
        rule=rule.id,
        cells=_unique(found.cells + tuple(claim_cell(i) for i in found.claim_ids)),
        stated_cells=_unique(found.stated_cells + ((claim_cell(claim.id),) if claim else ())),
    )
    if found.lacking:
        return replace(check, missing=True, explanation=f"Underlaget saknas: {found.lacking}.")
    value, reason = rule.tolerance(decimals, unit, found)
    check = replace(check, tolerance=value, tolerance_reason=reason)
    explain = rule.explain or found.explain  # the row's own words first, else the case's
    if check.status == SAKNAS:
        return replace(
            check, missing=True, explanation="Underlaget saknas: ett av talen finns inte i årets data."
        )
    if check.status == AVVIKER:
        return replace(check, explanation=(explain or explain_default)(check))
    if check.status == INOM_AVRUNDNING:
        within = explain if rule.explains_rounding and explain else explain_within_rounding
        return replace(check, explanation=within(check))
    return check
