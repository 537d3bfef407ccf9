"""The investment deviation and the reasons the report lists for it: amounts, shares and what is left."""

from __future__ import annotations

import pandas as pd

EXPLAINED = "Summa angivna orsaker"
UNEXPLAINED = "Ej förklarat"


def reasons_with_totals(reasons: pd.DataFrame, deviation: float) -> pd.DataFrame:
    """Per listed reason, then their sum and the unexplained rest: amount (mnkr) and share of the deviation (%).

    >>> frame = pd.DataFrame({"projekt": ["A"], "orsak": ["forsening"], "belopp_mnkr": [4.0]})
    >>> reasons_with_totals(frame, 10.0)[["post", "belopp_mnkr", "andel_procent"]].values.tolist()
    [['A (försenat)', 4.0, 40.0], ['Summa angivna orsaker', 4.0, 40.0], ['Ej förklarat', 6.0, 60.0]]
    """
    explained = float(reasons["belopp_mnkr"].sum())
    labels = [
        f"{p} ({'försenat' if o == 'forsening' else 'uteblir'})"
        for p, o in zip(reasons["projekt"], reasons["orsak"], strict=True)
    ]
    amounts = [*reasons["belopp_mnkr"].astype(float), explained, deviation - explained]
    return pd.DataFrame(
        {
            "post": [*labels, EXPLAINED, UNEXPLAINED],
            "belopp_mnkr": amounts,
            "andel_procent": [a / deviation * 100 for a in amounts],
            "niva": ["orsak"] * len(labels) + ["summa", "rest"],
        }
    )
