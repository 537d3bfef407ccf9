"""A section without the year's data shows a plain note instead of failing."""

import pandas as pd
import pytest

from servicenamnden.domain.years import MissingYearError, for_year, require_years
from servicenamnden.present.show import Unavailable, or_note, values_or_note

FRAME = pd.DataFrame({"ar": [2022, 2023], "v": [1, 2]})


def test_require_and_filter_years():
    require_years(FRAME, [2022, 2023], "x")
    assert for_year(FRAME, 2023, "x")["v"].tolist() == [2]
    with pytest.raises(MissingYearError, match="Uppgifter om kunddialoger för 2021 saknas"):
        require_years(FRAME, [2021, 2022], "kunddialoger")


def test_or_note_returns_a_markdown_note():
    note = or_note(for_year, FRAME, 2030, "matsvinn")
    assert note._repr_markdown_().startswith("*Uppgifter om matsvinn för 2030 saknas")
    assert or_note(lambda: 5) == 5


def test_values_or_note():
    missing = values_or_note(for_year, FRAME, 2030, "matsvinn")
    assert isinstance(missing, Unavailable)
    assert missing.vad_som_helst == "\u2013" and "saknas" in missing.saknas
    assert missing.namn.omrade_1 == "\u2013"
    present = values_or_note(lambda: __import__("types").SimpleNamespace(a=1))
    assert present.a == 1 and present.saknas == ""
