"""Sick leave: the year against the year before, with small groups suppressed."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain.provenance import Traced, select

FULL_YEAR = "jan-dec"
ROLLING = "dec-nov"
GROUP_ORDER = ["kvinnor", "man", "totalt", "-29", "30-49", "50-"]
GROUP_LABELS = {
    "kvinnor": "Kvinnor",
    "man": "Män",
    "totalt": "Totalt",
    "-29": "29 år och yngre",
    "30-49": "30–49 år",
    "50-": "50 år och äldre",
}
SMALL_GROUP_LIMIT = 10


def suppress_small_groups(frame: pd.DataFrame, limit: int = SMALL_GROUP_LIMIT) -> pd.DataFrame:
    """Add ``dold`` and ``dold_orsak``: a group of ``limit`` employees or fewer is not shown.

    A group whose head count is unknown is shown; the source gives no head counts.
    """
    out = frame.copy()
    small = out["antal_anstallda"].notna() & (out["antal_anstallda"] <= limit)
    out["dold"] = small.astype(bool)
    out["dold_orsak"] = [
        f"gruppen har {int(n)} anställda (högst {limit} visas inte)" if s else ""
        for s, n in zip(small, out["antal_anstallda"], strict=True)
    ]
    out.loc[out["dold"], "sjukfranvaro_procent"] = float("nan")
    return out


def compare_years(frame: pd.DataFrame, ar: int, period: str = FULL_YEAR) -> pd.DataFrame:
    """Per group: sick leave ``ar``, the year before, and the change in procentenheter."""
    shown = suppress_small_groups(frame[frame["period"] == period])
    now = shown[shown["ar"] == ar].set_index("grupp")
    before = shown[shown["ar"] == ar - 1].set_index("grupp")
    groups = [g for g in GROUP_ORDER if g in now.index or g in before.index]
    result = pd.DataFrame(index=pd.Index(groups, name="grupp"))
    result["ar"] = now["sjukfranvaro_procent"].reindex(groups)
    result["foregaende_ar"] = before["sjukfranvaro_procent"].reindex(groups)
    result["forandring_pe"] = result["ar"] - result["foregaende_ar"]
    result["dold"] = now["dold"].reindex(groups, fill_value=False) | before["dold"].reindex(
        groups, fill_value=False
    )
    return result.reset_index()


def value(frame: pd.DataFrame, ar: int, grupp: str = "totalt", period: str = FULL_YEAR) -> float:
    """One sick-leave figure; NaN when absent or suppressed."""
    shown = suppress_small_groups(frame)
    hit = shown[(shown["ar"] == ar) & (shown["grupp"] == grupp) & (shown["period"] == period)]
    return float(hit["sjukfranvaro_procent"].iloc[0]) if len(hit) else float("nan")


def traced_value(frame: pd.DataFrame, ar: int, grupp: str = "totalt", period: str = FULL_YEAR) -> Traced:
    """:func:`value` with its provenance; NaN (no cell) when absent or suppressed, as there."""
    if pd.isna(value(frame, ar, grupp, period)):
        return select(frame.iloc[0:0], "sjukfranvaro_procent")
    return select(frame, "sjukfranvaro_procent", ar=ar, grupp=grupp, period=period).in_unit("%")


# --- The statutory disclosure, computed from hours ------------------------------------------------
# Sick hours as a share of ordinary working hours for the total, women, men and three age groups, and
# the share of long-term sick leave (60 days or more) of all sick hours (data/sjukfranvaro_timmar.csv).
#
# Suppression rule (suppress_identifying):
# 1. A group of ten employees or fewer is hidden (suppress_small_groups, the rule for the source's figures).
# 2. Kvinnor + män and the three age groups each split the total. When exactly one group of such a split
#    is hidden, the total and the other groups would let a reader work it out by subtraction (exactly from
#    hours, roughly from shares and head counts). So the smallest shown group of that split is hidden too.
#    With two or more hidden, only their combination can be derived, never one group.
# 3. A hidden total hides its long-term share as well.
# Head counts and hours are never shown, only shares.

STATUTORY_ORDER = ["totalt", "kvinnor", "man", "-29", "30-49", "50-"]
PARTITIONS = (("kvinnor", "man"), ("-29", "30-49", "50-"))
LONG_TERM = "langtid"
LONG_TERM_LABEL = "Långtidssjukfrånvaro, andel av sjukfrånvaron"


def _share(part: float, whole: float) -> float:
    """``part / whole × 100``; NaN when either is missing or the whole is zero."""
    if pd.isna(part) or pd.isna(whole) or whole == 0:
        return float("nan")
    return float(part) / float(whole) * 100.0


def statutory_shares(hours: pd.DataFrame) -> pd.DataFrame:
    """Per year and group: sick hours in percent of ordinary hours, and long-term share of sick hours."""
    out = hours[["ar", "grupp", "antal_anstallda"]].copy()
    out["sjukfranvaro_procent"] = [
        _share(s, o) for s, o in zip(hours["sjuktimmar"], hours["ordinarie_timmar"], strict=True)
    ]
    out["langtid_procent"] = [
        _share(lt, s)
        for lt, s in zip(hours["sjuktimmar_60_dagar_eller_mer"], hours["sjuktimmar"], strict=True)
    ]
    order = {g: i for i, g in enumerate(STATUTORY_ORDER)}
    out = out.sort_values(["ar", "grupp"], key=lambda c: c.map(order) if c.name == "grupp" else c)
    return out.reset_index(drop=True)


def suppress_identifying(shares: pd.DataFrame, limit: int = SMALL_GROUP_LIMIT) -> pd.DataFrame:
    """Flag (``dold``, ``dold_orsak``) small groups and groups that would reveal one by subtraction."""
    out = suppress_small_groups(shares, limit)
    for _, year in out.groupby("ar"):
        for partition in PARTITIONS:
            rows = year[year["grupp"].isin(partition)]
            hidden, shown = rows[rows["dold"]], rows[~rows["dold"]]
            if len(hidden) != 1 or shown.empty:
                continue
            pick = shown.sort_values("antal_anstallda", na_position="last").index[0]
            revealed = GROUP_LABELS[hidden["grupp"].iloc[0]].lower()
            out.loc[pick, "dold"] = True
            out.loc[pick, "dold_orsak"] = (
                f"uppgiften för {revealed} skulle annars kunna räknas fram ur totalen"
            )
            out.loc[pick, "sjukfranvaro_procent"] = float("nan")
    if "langtid_procent" in out:
        out.loc[out["dold"], "langtid_procent"] = float("nan")
    return out


def _year_cells(hit: pd.Series | None, column: str, suffix: str) -> dict[str, object]:
    """One year's value, hidden flag and reason for :func:`compare_statutory` (``hit`` None = no row)."""
    if hit is None:
        return {suffix: float("nan"), f"dold_{suffix}": False, f"orsak_{suffix}": ""}
    value = hit[column]
    return {
        suffix: float("nan") if pd.isna(value) else float(value),
        f"dold_{suffix}": bool(hit["dold"]),
        f"orsak_{suffix}": hit["dold_orsak"],
    }


def compare_statutory(shares: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Each group and the long-term share: ``ar``, the year before, change in procentenheter, suppressed."""
    shown = suppress_identifying(shares).set_index(["ar", "grupp"])
    rows = []
    for key in [*STATUTORY_ORDER, LONG_TERM]:
        group, column = ("totalt", "langtid_procent") if key == LONG_TERM else (key, "sjukfranvaro_procent")
        now, before = (shown.loc[(y, group)] if (y, group) in shown.index else None for y in (ar, ar - 1))
        if now is None and before is None:
            continue
        row = {"rad": key, **_year_cells(now, column, "ar"), **_year_cells(before, column, "foregaende_ar")}
        row["forandring_pe"] = row["ar"] - row["foregaende_ar"]
        rows.append(row)
    return pd.DataFrame(rows)
