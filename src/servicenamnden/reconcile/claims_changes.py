"""Claims of the source document, family ``forandring``: printed changes and ratios against the data."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import miljo, sjukfranvaro
from servicenamnden.present import fmt
from servicenamnden.reconcile.model import (
    AT_LEAST,
    CLAIMS,
    EPSILON,
    INOM_AVRUNDNING,
    Check,
    Explain,
    explain_within_rounding,
    make_check,
    of_claim,
    round_half_up,
    rounding,
    step_text,
)
from servicenamnden.reconcile.sources import Sources, no_data


def _fee_table(src: Sources) -> pd.DataFrame:
    """Fees per subscription (rows) and year (columns)."""
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
            raise no_data(claim, "brukaravgifter.csv", f"avgifterna {ar - 1} och {ar}")
        for code in table.index:
            before, after = float(table.loc[code, ar - 1]), float(table.loc[code, ar])
            step = 0.5 * 10.0**-claim.decimals
            tolerance = step + 50 / before + EPSILON
            reason = (
                f"källans gemensamma procentsats är avrundad till {step_text(claim.decimals, 'procent')} och "
                f"avgiften till hela kronor (±0,5 kr av {fmt.kr(before)}, högst {fmt.pp(tolerance, 2, sign=False)})"
            )
            out.append(
                make_check(
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
    """Why one subscription's change is not the common one: the whole-krona rounding, or not."""

    def explain(check: Check) -> str:
        exact = before * (1 + check.expected / 100)
        rounded = float(round_half_up(exact, 0))
        if check.status == INOM_AVRUNDNING and rounded == after:
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
            raise no_data(claim, "brukaravgifter.csv", f"avgifterna {base} och {ar}")
        if len(years) == 1:
            continue  # one year after the base it is the yearly change, checked once by its own rule
        for code in table.index:
            fees = table.loc[code]
            carried = sum(0.5 * fees[ar] / fees[y] for y in years)
            tolerance = 0.5 * 10.0**-claim.decimals + 100 * carried / fees[base] + EPSILON
            steps = "höjningen" if len(years) == 1 else f"var och en av {len(years)} höjningar"
            reason = (
                f"källans procentsats är avrundad till {step_text(claim.decimals, 'procent')} och avgiften till "
                f"hela kronor vid {steps} (högst {fmt.pp(tolerance, 2, sign=False)})"
            )
            out.append(
                make_check(
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
            make_check(
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
                    f"källans {len(yearly) + 1} procentsatser är avrundade till {step_text(claim.decimals, 'procent')}",
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
            raise no_data(claim, "sjukfranvaro.csv", f"{group} {period} för {claim.ar - 1} och {claim.ar}")
        measure = (
            "rullande tolv månader, texten"
            if period == sjukfranvaro.ROLLING
            else "helår, tabellen, som skriver procent men avser procentenheter"
        )
        out.append(
            of_claim(
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
                raise no_data(claim, f"{table_name}.csv", f"'{name}' för {claim.ar - 1} och {claim.ar}")
            out.append(
                of_claim(
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
            raise no_data(claim, "miljo_nyckeltal.csv", f"laddpunkter {claim.ar - 1} och {claim.ar}")
        out.append(
            of_claim(
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
