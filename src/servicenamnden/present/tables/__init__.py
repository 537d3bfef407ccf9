"""Tables as pure functions: data in, a :class:`~servicenamnden.present.tables.spec.Table` out.

A table is a numeric frame plus how to present it; great-tables formats it at the edge with
:mod:`servicenamnden.present.fmt`, and the open data are written from the same numbers. The modules
are by subject; the registry (:mod:`.registry`) wires each to its data and label, and the notebooks
show the registry's entries.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT

from servicenamnden.present.tables.control import purchases_table, risks_table
from servicenamnden.present.tables.costs import (
    brukaravgifter_table,
    fee_comparison_table,
    fee_index_table,
    fees_against_costs_table,
    ms_ao_change_table,
    ms_ao_cost_table,
    ms_ao_index_table,
)
from servicenamnden.present.tables.economy import (
    adjusted_comparison_table,
    area_explanations_table,
    area_units_table,
    income_statement_table,
    investment_reasons_table,
    investments_table,
    result_per_area_table,
)
from servicenamnden.present.tables.goals import (
    SYMBOLS,
    commitments_table,
    environmental_goals_for_year,
    environmental_goals_table,
    food_waste_for_year,
    food_waste_table,
    goal_margins_for_year,
    goal_margins_table,
    in_words,
    main_processes_table,
    process_goals_table,
)
from servicenamnden.present.tables.keyfigures import environment_key_figures_table, key_figures_table
from servicenamnden.present.tables.spec import Column, Published, Table, published, shared_style_html
from servicenamnden.present.tables.staff import (
    dialogue_table,
    injuries_table,
    sjukfranvaro_table,
    statutory_sjukfranvaro_for_year,
    statutory_sjukfranvaro_table,
    survey_table,
    two_year_table,
)

TABLE_WIDTH = "100%"


def stub_gt(
    frame: pd.DataFrame,
    table_id: str,
    stub: str,
    stubhead: str,
    numeric: list[str] | None = None,
    font_size: str = "90%",
) -> GT:
    """A plain GT of already formatted cells with a stub; kept for the appendix tables (reconcile)."""
    figures = [c for c in frame.columns if c != stub] if numeric is None else numeric
    table = GT(frame, rowname_col=stub, id=table_id).tab_stubhead(stubhead)
    if figures:
        table = table.cols_align("right", columns=figures)
    return table.tab_options(table_width=TABLE_WIDTH, table_font_size=font_size)


_gt = stub_gt  # the name reconcile/tables.py imports today; it is moving to a builder of its own

__all__ = [
    "SYMBOLS",
    "TABLE_WIDTH",
    "Column",
    "Published",
    "Table",
    "adjusted_comparison_table",
    "area_explanations_table",
    "area_units_table",
    "brukaravgifter_table",
    "commitments_table",
    "dialogue_table",
    "environment_key_figures_table",
    "environmental_goals_for_year",
    "environmental_goals_table",
    "fee_comparison_table",
    "fee_index_table",
    "fees_against_costs_table",
    "food_waste_for_year",
    "food_waste_table",
    "goal_margins_for_year",
    "goal_margins_table",
    "in_words",
    "income_statement_table",
    "injuries_table",
    "investment_reasons_table",
    "investments_table",
    "key_figures_table",
    "main_processes_table",
    "ms_ao_change_table",
    "ms_ao_cost_table",
    "ms_ao_index_table",
    "process_goals_table",
    "published",
    "purchases_table",
    "result_per_area_table",
    "risks_table",
    "shared_style_html",
    "statutory_sjukfranvaro_table",
    "sjukfranvaro_table",
    "statutory_sjukfranvaro_for_year",
    "stub_gt",
    "survey_table",
    "two_year_table",
]
