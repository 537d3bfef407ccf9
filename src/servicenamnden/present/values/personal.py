"""Prose values on staff and customers: sick leave, work injuries, the employee survey, customer dialogues."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pandas as pd

from servicenamnden.domain import sjukfranvaro as sick
from servicenamnden.domain.periods import rolling_period_words
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Varden, collect, direction, known, need


def sjukfranvaro_values(frame: pd.DataFrame, ar: int) -> Varden:
    """Sick leave: the year against the year before for the whole year and the rolling twelve months."""
    full = frame[frame["period"] == sick.FULL_YEAR]
    rolling = frame[frame["period"] == sick.ROLLING]
    what, what_rolling = "sjukfrånvaron för helår", "den rullande sjukfrånvaron"

    def year(group: str, y: int) -> float:
        need(full, y, what)
        return known(sick.value(frame, y, group), f"sjukfrånvaron för {sick.GROUP_LABELS[group].lower()}", y)

    def roll(y: int) -> float:
        need(rolling, y, what_rolling)
        return known(sick.value(frame, y, "totalt", sick.ROLLING), what_rolling, y)

    return collect(
        "sjukfranvaro",
        {
            "totalt": lambda: fmt.percent(year("totalt", ar)),
            "totalt_fg": lambda: fmt.percent(year("totalt", ar - 1)),
            "forandring": lambda: fmt.pp(year("totalt", ar) - year("totalt", ar - 1)),
            "riktning": lambda: direction(
                year("totalt", ar) - year("totalt", ar - 1), "minskade", "ökade", "var oförändrad"
            ),
            "kvinnor": lambda: fmt.percent(year("kvinnor", ar)),
            "kvinnor_fg": lambda: fmt.percent(year("kvinnor", ar - 1)),
            "man": lambda: fmt.percent(year("man", ar)),
            "man_fg": lambda: fmt.percent(year("man", ar - 1)),
            "rullande": lambda: fmt.percent(roll(ar)),
            "rullande_fg": lambda: fmt.percent(roll(ar - 1)),
            "rullande_forandring": lambda: fmt.pp(roll(ar) - roll(ar - 1)),
            "rullande_riktning": lambda: direction(
                roll(ar) - roll(ar - 1), "minskade", "ökade", "var oförändrad"
            ),
            "rullande_period": lambda: rolling_period_words(sick.ROLLING, ar),
        },
    )


def pairs(frame: pd.DataFrame, key: str, value: str, what: str) -> Callable[[str, int], float]:
    """A lookup ``(name, year) → value`` that raises the note when the year is missing."""

    @cache
    def get(name: str, y: int) -> float:
        need(frame, y, what)
        part = frame[(frame[key] == name) & (frame["ar"] == y)][value]
        return known(float(part.iloc[0]) if len(part) else float("nan"), what, y)

    return get


def arbetsskador_values(injuries: pd.DataFrame, ar: int) -> Varden:
    """Work injuries and incidents reported, the year against the year before."""
    get = pairs(injuries, "handelse", "antal", "arbetsskador och tillbud")
    names = {"utan_franvaro": "arbetsskada_utan_franvaro", "med_franvaro": "arbetsskada_med_franvaro"}
    names["tillbud"] = "tillbud"
    values: dict = {}
    for short, name in names.items():
        values[short] = lambda n=name: fmt.count(get(n, ar))
        values[f"{short}_fg"] = lambda n=name: fmt.count(get(n, ar - 1))
    values["utan_franvaro_forandring"] = lambda: fmt.count(
        abs(get(names["utan_franvaro"], ar) - get(names["utan_franvaro"], ar - 1))
    )
    values["utan_franvaro_riktning"] = lambda: direction(
        get(names["utan_franvaro"], ar) - get(names["utan_franvaro"], ar - 1),
        "minskade",
        "ökade",
        "var oförändrade",
    )
    return collect("arbetsskador", values)


def medarbetarenkat_values(survey: pd.DataFrame, ar: int) -> Varden:
    """The employee survey's indices and the number of units with red and yellow results."""
    get = pairs(survey, "matt", "varde", "medarbetarenkätens resultat")
    values: dict = {}
    for name in ("hme_totalt", "motivation", "ledarskap", "styrning", "roda_enheter", "gula_enheter"):
        values[name] = lambda n=name: fmt.count(get(n, ar))
        values[f"{name}_fg"] = lambda n=name: fmt.count(get(n, ar - 1))
    return collect("medarbetarenkat", values)


def kunddialog_values(dialogue: pd.DataFrame, ar: int) -> Varden:
    """Customer-dialogue scores on a ten-point scale, the year against the year before."""
    get = pairs(dialogue, "matt", "betyg", "kunddialogernas betyg")
    values: dict = {}
    for name in ("samlad_bedomning", "aterkoppling", "motsvarad_forvantan", "bemotande"):
        values[name] = lambda n=name: fmt.number(get(n, ar), 2)
        values[f"{name}_fg"] = lambda n=name: fmt.number(get(n, ar - 1), 2)
    values["samlad_bedomning_riktning"] = lambda: direction(
        get("samlad_bedomning", ar) - get("samlad_bedomning", ar - 1), "sjönk", "steg", "var oförändrad"
    )
    return collect("kunddialog", values)
