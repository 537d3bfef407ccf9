"""One rounding rule for summed tables: compute from the unrounded parts, show the rounded result.

Totals are computed from the parts as stored, then rounded half up (2,25 → 2,3, as people round) for
display. Where the rounded parts shown in a table do not add up to the rounded total shown beside
them, the table says so in a note with the exact difference (:func:`shown_sum_difference`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | int | Decimal | None, decimals: int = 0) -> float:
    """``value`` rounded half up to ``decimals`` places, as a float; NaN stays NaN. The project's one
    rounding: tables, prose, the open data and the status of every avstämning round with it.

    >>> round_half_up(2.25, 1), round_half_up(-14.85, 1), round_half_up(0.5)
    (2.3, -14.9, 1.0)
    """
    if value is None or math.isnan(value):
        return float("nan")
    if isinstance(value, Decimal):
        exact = value
    else:
        exact = Decimal(int(value)) if float(value).is_integer() else Decimal(repr(float(value)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def shown_sum_difference(parts: Iterable[float], total: float, decimals: int) -> float:
    """The shown total less the sum of the shown parts (0.0 when they add up); missing parts count 0.

    >>> shown_sum_difference([0.04, 0.04, 0.04], 0.12, 1)
    0.1
    >>> shown_sum_difference([1.0, 2.0], 3.0, 1)
    0.0
    """
    if total is None or math.isnan(total):
        return 0.0
    shown_parts = sum(
        Decimal(repr(round_half_up(p, decimals))) for p in parts if p is not None and not math.isnan(p)
    )
    return float(Decimal(repr(round_half_up(total, decimals))) - shown_parts)
