"""The fee checks of the appendix: each comparison once.

Tabell 27 (the appendix's list of checks) and its CSV held the 2019–2020 fee change twice for each of
the eight subscriptions: the source prints "Skillnad mot 2019" also for 2020, and that claim
(``brukaravgift_sedan_2019_2020``) is the same comparison as the yearly change
(``brukaravgift_forandring_2020``), so ``fee_changes_since_base`` in reconcile/checks.py made a second,
identical check per subscription. ``fee_changes_since_base`` now skips a since-base claim one year
after its base.
"""

from __future__ import annotations

from collections import Counter

import pytest

from servicenamnden.reconcile import checks


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_no_fee_change_is_checked_twice() -> None:
    fee_checks = [c for c in checks.run_all() if c.id.startswith("brukaravgift_")]
    described = Counter(c.description for c in fee_checks)
    assert [d for d, n in described.items() if n > 1] == []
    # The change 2019–2020 is checked once per subscription (as the yearly change), not also as "since 2019".
    assert sum("förändring 2019–2020 mot källans rad" in c.description for c in fee_checks) == 8
