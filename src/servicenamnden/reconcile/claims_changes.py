"""Claims of the source document, family ``forandring``: printed changes and ratios against the data.

Each rule row (:data:`RULES`) names the claims it judges, what it computes and the tolerance; the
engine (:mod:`.engine`) makes the checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import miljo, sjukfranvaro
from servicenamnden.domain.provenance import Cell
from servicenamnden.domain.rounding import round_half_up
from servicenamnden.present import fmt
from servicenamnden.reconcile.engine import Found, Rule, bound, computed, rounded
from servicenamnden.reconcile.model import (
    AT_LEAST,
    CLAIMS,
    EPSILON,
    INOM_AVRUNDNING,
    Check,
    Claim,
    Explain,
    explain_within_rounding,
    step_text,
)
from servicenamnden.reconcile.sources import Sources, no_data

Match = re.Match[str]


def _fee_table(src: Sources) -> pd.DataFrame:
    """Fees per subscription (rows) and year (columns)."""
    return bav.wide(src.table("brukaravgifter"), src.table("abonnemang"))


def fee_yearly_changes(src: Sources, claim: Claim, match: Match) -> list[Found]:
    """Every subscription's own change against the one printed yearly change.

    The source prints one row for all subscriptions: a common percentage, each fee then rounded to
    whole kronor. So a fee of ``F`` kronor can differ from the common change by up to 0,5 / F.
    """
    table = _fee_table(src)
    names = bav.labels(src.table("abonnemang"))
    changes = bav.yearly_change(table)
    ar = claim.ar
    if ar not in table.columns or ar - 1 not in table.columns:
        raise no_data(claim, "brukaravgifter.csv", f"avgifterna {ar - 1} och {ar}")
    out = []
    for code in table.index:
        before, after = float(table.loc[code, ar - 1]), float(table.loc[code, ar])
        tolerance = 0.5 * 10.0**-claim.decimals + 50 / before + EPSILON
        reason = (
            f"källans gemensamma procentsats är avrundad till {step_text(claim.decimals, 'procent')} och "
            f"avgiften till hela kronor (±0,5 kr av {fmt.kr(before)}, högst {fmt.pp(tolerance, 2, sign=False)})"
        )
        out.append(
            Found(
                float(changes.loc[code, ar]),
                words={"code": code, "name": names[code].lower(), "before": ar - 1},
                tolerance=(tolerance, reason),
                explain=_explain_fee(before, after),
                cells=_fee_cells(src, code, ar - 1, ar),
            )
        )
    return out


def _fee_cells(src: Sources, code: str, *years: int) -> tuple[Cell, ...]:
    """The fee cells of one subscription in ``years``."""
    return src.cells("brukaravgifter", "avgift_kr_per_manad", abonnemang=code, ar=list(years))


def _explain_fee(before: float, after: float) -> Explain:
    """Why one subscription's change is not the common one: the whole-krona rounding, or not."""

    def explain(check: Check) -> str:
        exact = before * (1 + check.expected / 100)
        if check.status == INOM_AVRUNDNING and round_half_up(exact, 0) == after:
            return (
                f"Avrundning till hela kronor: källans gemensamma {check.expected_text} på {fmt.kr(before)} ger "
                f"{fmt.kr(exact, 2)}, avrundat {fmt.kr(after)}, som är avgiften."
            )
        if check.status == INOM_AVRUNDNING:
            return explain_within_rounding(check)
        return (
            f"Avgiften ändrades med {check.actual_text}, inte med källans gemensamma {check.expected_text}; "
            "skillnaden är större än avrundning till hela kronor kan förklara. Källans rad gäller inte detta abonnemang."
        )

    return explain


def fee_changes_since_base(src: Sources, claim: Claim, match: Match) -> list[Found]:
    """Every subscription's own change since the base year against the one printed change.

    Each yearly increase is rounded to whole kronor, so the error grows with every step: at most
    0,5 kr per increase, carried forward by the later increases (``Σ 0,5 × F_ar / F_k``).
    """
    table = _fee_table(src)
    names = bav.labels(src.table("abonnemang"))
    base, ar = int(match["bas"]), claim.ar
    years = [y for y in table.columns if base < y <= ar]
    if base not in table.columns or ar not in table.columns:
        raise no_data(claim, "brukaravgifter.csv", f"avgifterna {base} och {ar}")
    if len(years) == 1:
        return []  # one year after the base it is the yearly change, checked once by its own rule
    out = []
    for code in table.index:
        fees = table.loc[code]
        carried = sum(0.5 * fees[ar] / fees[y] for y in years)
        tolerance = 0.5 * 10.0**-claim.decimals + 100 * carried / fees[base] + EPSILON
        reason = (
            f"källans procentsats är avrundad till {step_text(claim.decimals, 'procent')} och avgiften till "
            f"hela kronor vid var och en av {len(years)} höjningar (högst {fmt.pp(tolerance, 2, sign=False)})"
        )
        words = {"code": code, "name": names[code].lower(), "before": base}
        out.append(
            Found(
                float((fees[ar] / fees[base] - 1) * 100),
                words=words,
                tolerance=(tolerance, reason),
                cells=_fee_cells(src, code, base, ar),
            )
        )
    return out


def fee_change_compounded(src: Sources, claim: Claim, match: Match) -> Found:
    """The printed yearly changes since the base year, compounded."""
    base = int(match["bas"])
    yearly = [src.claim(f"brukaravgift_forandring_{y}", "procent") for y in range(base + 1, claim.ar + 1)]
    factors = [1 + c.value / 100 for c in yearly]
    product = 1.0
    for factor in factors:
        product *= factor
    spread = sum(0.5 * 10.0**-c.decimals * product / f for c, f in zip(yearly, factors, strict=True))
    tolerance = 0.5 * 10.0**-claim.decimals + spread + EPSILON
    reason = (
        f"källans {len(yearly) + 1} procentsatser är avrundade till {step_text(claim.decimals, 'procent')}"
    )
    return Found(
        (product - 1) * 100,
        words={"before": base},
        claim_ids=tuple(c.id for c in yearly),
        tolerance=(tolerance, reason),
    )


def sick_leave_change(src: Sources, claim: Claim, match: Match) -> Found:
    """Sick leave: this year's figure minus last year's, in procentenheter."""
    frame = src.table("sjukfranvaro")
    group = match["grupp"] or "totalt"
    period = sjukfranvaro.ROLLING if match["kalla"] == "rullande_text" else sjukfranvaro.FULL_YEAR
    now = sjukfranvaro.value(frame, claim.ar, group, period)
    before = sjukfranvaro.value(frame, claim.ar - 1, group, period)
    if pd.isna(now) or pd.isna(before):
        raise no_data(claim, "sjukfranvaro.csv", f"{group} {period} för {claim.ar - 1} och {claim.ar}")
    measure = (
        "rullande tolv månader, texten"
        if period == sjukfranvaro.ROLLING
        else "helår, tabellen, som skriver procent men avser procentenheter"
    )
    words = {"group": sjukfranvaro.GROUP_LABELS[group].lower(), "measure": measure, "before": claim.ar - 1}
    cells = (
        sjukfranvaro.traced_value(frame, claim.ar - 1, group, period).cells
        + sjukfranvaro.traced_value(frame, claim.ar, group, period).cells
    )
    return Found(now - before, 2, words, cells=cells)


def count_change(
    table_name: str, key: str, value_column: str, prefix: str, suffix: str
) -> Callable[[Sources, Claim, Match], Found]:
    """A count or index in ``table_name``: this year's figure minus last year's."""

    def compute(src: Sources, claim: Claim, match: Match) -> Found:
        frame = src.table(table_name)
        name = f"{prefix}{match['kind']}{suffix}"
        values = frame[frame[key] == name].set_index("ar")[value_column]
        if claim.ar not in values.index or claim.ar - 1 not in values.index:
            raise no_data(claim, f"{table_name}.csv", f"'{name}' för {claim.ar - 1} och {claim.ar}")
        cells = src.cells(table_name, value_column, ar=[claim.ar - 1, claim.ar], **{key: name})
        return Found(
            float(values[claim.ar] - values[claim.ar - 1]), words={"before": claim.ar - 1}, cells=cells
        )

    return compute


def charging_points(src: Sources, claim: Claim, match: Match) -> Found:
    """Charging points: this year's number over last year's."""
    figures = src.table("miljo_nyckeltal")
    now = miljo.key_figure(figures, "laddpunkter", claim.ar)
    before = miljo.key_figure(figures, "laddpunkter", claim.ar - 1)
    if pd.isna(now) or pd.isna(before):
        raise no_data(claim, "miljo_nyckeltal.csv", f"laddpunkter {claim.ar - 1} och {claim.ar}")
    cells = src.cells("miljo_nyckeltal", "varde", nyckeltal="laddpunkter", ar=[claim.ar - 1, claim.ar])
    return Found(now / before, words={"before": claim.ar - 1}, cells=cells)


FEE_CLAIMS = r"brukaravgift_sedan_(?P<bas>\d{4})_\d{4}"

_row = partial(Rule, family="forandring")  # a row of this family

RULES = (
    _row(
        id="brukaravgift_forandring",
        claims=r"brukaravgift_forandring_\d{4}",
        unit="procent",
        compute=fee_yearly_changes,
        check_id="{claim}_{code}",
        description="Brukaravgift {name}: förändring {before}–{ar} mot källans rad",
        inputs=("brukaravgifter.csv",),
        tolerance=computed,
        explains_rounding=True,
    ),
    _row(
        id="brukaravgift_sedan",
        claims=FEE_CLAIMS,
        unit="procent",
        compute=fee_changes_since_base,
        check_id="{claim}_{code}",
        description="Brukaravgift {name}: förändring {before}–{ar} mot källans rad",
        inputs=("brukaravgifter.csv",),
        tolerance=computed,
    ),
    _row(
        id="brukaravgift_sedan_sammansatt",
        claims=FEE_CLAIMS,
        unit="procent",
        compute=fee_change_compounded,
        check_id="{claim}_sammansatt",
        description="Brukaravgifter: förändring {before}–{ar} mot källans årliga förändringar sammansatta",
        inputs=(CLAIMS,),
        tolerance=computed,
    ),
    _row(
        id="sjukfranvaro_forandring",
        claims=r"sjukfranvaro_forandring_(?:(?P<grupp>kvinnor|man|totalt)_)?(?P<kalla>tabell|rullande_text)",
        unit="procentenheter",
        compute=sick_leave_change,
        description="Sjukfrånvaro {group} ({measure}): förändring {before}–{ar} i procentenheter",
        inputs=("sjukfranvaro.csv",),
        tolerance=rounded(1),
    ),
    _row(
        id="arbetsskador_forandring",
        claims=r"arbetsskador_(?P<kind>utan|med)_franvaro_forandring",
        unit="antal",
        compute=count_change("arbetsmiljo", "handelse", "antal", "arbetsskada_", "_franvaro"),
        description="{beskrivning}: {before}–{ar}",
        inputs=("arbetsmiljo.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="medarbetarenkat_forandring",
        claims=r"medarbetarenkat_(?P<kind>[a-z_]+)_forandring",
        unit="index",
        compute=count_change("medarbetarenkat", "matt", "varde", "", ""),
        description="{beskrivning}: {before}–{ar}",
        inputs=("medarbetarenkat.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="laddpunkter_fordubbling",
        claims=r"laddpunkter_fordubbling",
        unit="kvot",
        compute=charging_points,
        description="Laddpunkter: antalet {ar} mot {before} (källan: har fördubblats)",
        inputs=("miljo_nyckeltal.csv",),
        tolerance=bound("påståendet är en nedre gräns (minst en fördubbling)"),
        comparison=AT_LEAST,
    ),
)
