"""Internal control: risk value = probability × consequence, and the 5 × 5 risk matrix."""

from __future__ import annotations

import pandas as pd

SCALE = range(1, 6)


def risk_values(risks: pd.DataFrame) -> pd.DataFrame:
    """Risks with ``riskvarde`` computed as sannolikhet × konsekvens, highest first."""
    out = risks.copy()
    out["riskvarde"] = out["sannolikhet"].astype(int) * out["konsekvens"].astype(int)
    return out.sort_values(["riskvarde", "nr"], ascending=[False, True])


def matrix(risks: pd.DataFrame) -> dict[tuple[int, int], list[int]]:
    """(probability, consequence) → risk numbers in that cell."""
    cells: dict[tuple[int, int], list[int]] = {}
    for r in risks.itertuples():
        cells.setdefault((int(r.sannolikhet), int(r.konsekvens)), []).append(int(r.nr))
    return cells
