"""Sick leave: the year against the year before, with small groups suppressed."""

from __future__ import annotations

import pandas as pd

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


def has_year(frame: pd.DataFrame, ar: int) -> bool:
    """Whether the file holds a full-year figure for ``ar``."""
    return bool(((frame["ar"] == ar) & (frame["period"] == FULL_YEAR)).any())
