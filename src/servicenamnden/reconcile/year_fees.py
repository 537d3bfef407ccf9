"""The year's own check of the fees: each year's fees follow one common rate, rounded to whole kronor."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.present import fmt
from servicenamnden.reconcile.engine import Found, Rule, bound
from servicenamnden.reconcile.lookups import report_year
from servicenamnden.reconcile.model import AT_LEAST, YEAR_DATA, Check, Explain, lower_first
from servicenamnden.reconcile.sources import Sources


def common_rate_bounds(before: pd.Series, after: pd.Series) -> pd.DataFrame:
    """Per subscription, the rates (percent) that give its new fee when rounded to whole kronor.

    A fee ``F`` raised by ``r`` and rounded to whole kronor gives ``A`` exactly when
    ``A − 0,5 ≤ F × (1 + r) < A + 0,5``, so ``r`` lies in ``[(A − 0,5) / F − 1, (A + 0,5) / F − 1)``.
    """
    return pd.DataFrame(
        {"lagsta": ((after - 0.5) / before - 1) * 100, "hogsta": ((after + 0.5) / before - 1) * 100}
    )


def fees_follow_one_rate(src: Sources) -> list[Found]:
    """The fees of the report year and the budget year: the lowest and highest common rate that gives them."""
    fees = bav.wide(src.table("brukaravgifter"), src.table("abonnemang"))
    names = bav.labels(src.table("abonnemang"))
    ar = report_year(src)
    out = []
    for fee_year in (ar, ar + 1):
        words = {"fee_year": fee_year, "before": fee_year - 1}
        absent = [y for y in (fee_year - 1, fee_year) if y not in fees.columns]
        if absent:
            description = (
                f"Brukaravgifter {fee_year}: en gemensam procentsats mot {fee_year - 1} ger alla avgifterna"
            )
            lacking = fmt.join([src.no_rows("brukaravgifter", y) for y in absent])
            out.append(Found(words=words, description=description, lacking=lacking))
            continue
        pair = fees[[fee_year - 1, fee_year]].dropna()
        if pair.empty:
            continue
        bounds = common_rate_bounds(pair[fee_year - 1], pair[fee_year])
        floor, ceiling = bounds["lagsta"].idxmax(), bounds["hogsta"].idxmin()
        out.append(
            Found(
                float(bounds.loc[ceiling, "hogsta"]),
                words={**words, "n": len(pair)},
                expected=float(bounds.loc[floor, "lagsta"]),
                explain=_explain_no_common_rate(names[floor], names[ceiling]),
                cells=src.cells(
                    "brukaravgifter",
                    "avgift_kr_per_manad",
                    ar=[fee_year - 1, fee_year],
                    abonnemang=list(pair.index),
                ),
            )
        )
    return out


def _explain_no_common_rate(needs_more: str, allows_less: str) -> Explain:
    """No single rate gives every fee: name the two subscriptions that disagree."""

    def explain(check: Check) -> str:
        return (
            f"Ingen gemensam procentsats ger alla avgifter: {lower_first(needs_more)} kräver minst "
            f"{check.expected_text}, men {lower_first(allows_less)} tillåter högst {check.actual_text}. "
            "En av avgifterna är troligen felskriven eller höjd med en egen procentsats."
        )

    return explain


FEE_RULE = Rule(
    id="brukaravgifter_gemensam_procentsats",
    family="forandring",
    compute=fees_follow_one_rate,
    check_id="brukaravgifter_gemensam_procentsats_{fee_year}",
    description=(
        "Brukaravgifter {fee_year}: en gemensam procentsats mot {before} ger alla {n} avgifterna avrundade till "
        "hela kronor (lägsta möjliga procentsats mot högsta)"
    ),
    inputs=("brukaravgifter.csv",),
    unit="procent",
    decimals=2,
    tolerance=bound("avgifterna är avrundade till hela kronor; procentsatsen måste passa alla"),
    comparison=AT_LEAST,
    kind=YEAR_DATA,
)
