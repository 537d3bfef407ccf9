"""The deviations per område that the text explains, as rows with their depth under a parent item."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import ekonomi


def depth(items: pd.DataFrame, parent: object) -> int:
    """How many explained items lie above an item whose parent is ``parent`` (an area result is the root)."""
    ids = set(items["post_id"])
    parents = dict(zip(items["post_id"], items["overordnad"], strict=True))
    level = 0
    while isinstance(parent, str) and parent in ids and not parent.endswith("_resultat"):
        level += 1
        parent = parents[parent]
    return level


def explained_rows(explanations: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """One row per explained item with an amount, areas in their order: område, post, förklaring, belopp, nivå."""
    part = explanations[explanations["belopp_mnkr"].notna() | explanations["overordnad"].notna()]
    names = dict(zip(areas["omrade"], areas["benamning"], strict=True))
    present = set(part["omrade"])
    rows = []
    for area in [a for a in areas.sort_values("ordning")["omrade"] if a in present]:
        items = ekonomi.area_explanations(part, area)
        for item in items.itertuples():
            if pd.isna(item.belopp_mnkr):
                continue
            rows.append(
                {
                    "omrade": names.get(area, area),
                    "post": str(item.post),
                    "forklaring": item.forklaring if isinstance(item.forklaring, str) else "",
                    "belopp_mnkr": float(item.belopp_mnkr),
                    "niva": depth(items, item.overordnad),
                    "post_id": str(item.post_id),  # the row in the data file (issue 20)
                }
            )
    return pd.DataFrame(rows, columns=["omrade", "post", "forklaring", "belopp_mnkr", "niva", "post_id"])
