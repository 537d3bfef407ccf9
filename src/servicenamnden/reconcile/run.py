"""Running the avstämningar for a report year: the year's own checks always, the document's claims
only for the year the document reports on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from servicenamnden.domain.years import resolve_year
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.paths import data_dir
from servicenamnden.reconcile import claims_changes as changes
from servicenamnden.reconcile import claims_derived as derived
from servicenamnden.reconcile import claims_repeats as repeats
from servicenamnden.reconcile import claims_sums as sums
from servicenamnden.reconcile import year
from servicenamnden.reconcile.model import (
    FAMILIES,
    KINDS,
    STATUS_ORDER,
    UNVERIFIABLE,
    Check,
    Claim,
)
from servicenamnden.reconcile.sources import Sources, document_year, read_claims

Rule = Callable[[Sources], list[Check]]

# The year's own data against themselves: run for every report year.
YEAR_RULES: tuple[Rule, ...] = (
    year.result_against_areas,
    year.explained_parts,
    year.ms_ao_index_bases,
    year.goal_register_against_details,
    year.control_deviations_listed,
    year.sick_leave_from_hours,
    year.investment_reasons,
    year.items_within_their_item,
    year.fees_follow_one_rate,
)

# The published document's claims (data/pastaenden.csv), by family: run for the document's year only.
DOCUMENT_RULES: dict[str, tuple[Rule, ...]] = {
    "summa": (
        sums.ms_ao_totals,
        sums.resultatrakning_totals,
        sums.driftredovisning_totals,
        sums.investment_totals,
        sums.food_waste_totals,
    ),
    "forandring": (
        changes.fee_yearly_changes,
        changes.fee_changes_since_base,
        changes.fee_change_compounded,
        changes.sick_leave_changes,
        changes.count_changes,
        changes.charging_points_ratio,
    ),
    "samma_uppgift": (
        repeats.repeated_claims,
        repeats.repeated_data,
        repeats.budget_restated,
        repeats.explained_items,
        repeats.sick_leave_table_against_rolling,
    ),
    "harledd": (
        derived.area_unit_results,
        derived.adjusted_comparison,
        derived.areas_reaching_budget,
        derived.environmental_goals_met,
        derived.school_food_waste,
        derived.environment_ratios,
        derived.estimates_in_prose,
        derived.internal_control,
    ),
}


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
    checks = [check for rule in YEAR_RULES for check in rule(own)]
    if with_claims:
        document = src.at(document_year(src.folder)) if src.folder is not None else src
        checks += [check for rules in DOCUMENT_RULES.values() for rule in rules for check in rule(document)]
    seen: set[str] = set()
    for check in checks:
        if check.id in seen:
            raise CheckDefinitionError(f"Två avstämningar har samma id '{check.id}'.")
        seen.add(check.id)
    return ordered(checks)


def run_all(folder: Path | None = None, ar: int | None = None) -> list[Check]:
    """Every avstämning for report year ``ar`` (default: the latest complete year) on the data in ``folder``."""
    return evaluate(Sources.load(folder), resolve_year(ar))


def unchecked_claims(folder: Path | None = None) -> list[str]:
    """Claim ids no rule covers and that are not declared unverifiable (the goal is none)."""
    folder = Path(folder or data_dir())
    checks = evaluate(Sources.load(folder), document_year(folder))
    covered = {claim_id for check in checks for claim_id in check.claim_ids}
    return sorted(c.id for c in read_claims(folder) if c.id not in covered and c.id not in UNVERIFIABLE)


def unverifiable_claims(folder: Path | None = None, ar: int | None = None) -> list[tuple[Claim, str]]:
    """The document's claims with no figures to check against, and why; none in another year's report."""
    folder = Path(folder or data_dir())
    if ar is not None and ar != document_year(folder):
        return []
    return [(c, UNVERIFIABLE[c.id]) for c in read_claims(folder) if c.id in UNVERIFIABLE]
