"""Changing one value in data/ changes every table, chart and sentence that depends on it."""

from __future__ import annotations

import re

import pytest

from servicenamnden.render.build import execute_all
from servicenamnden.render.harledning import without_spans
from servicenamnden.render.static_checks import cell_labels

NB = "\u00a0"


def _outputs(executed, notebook, label) -> str:
    cell = cell_labels(executed[notebook].notebook)[label]
    parts = []
    for out in cell.outputs:
        for value in out.get("data", {}).values():
            parts.append(value if isinstance(value, str) else "".join(value))
        for meta in out.get("metadata", {}).values():
            parts.append(str(meta.get("alt", "")))
    return "\n".join(parts)


@pytest.mark.slow
def test_a_changed_fee_flows_to_table_chart_and_prose(project, data_copy):
    path = data_copy / "brukaravgifter.csv"
    text = path.read_text(encoding="utf-8")
    assert "heldygn,2024,4524" in text
    path.write_text(text.replace("heldygn,2024,4524", "heldygn,2024,4744"), encoding="utf-8")

    nb = project.root / "notebooks" / "brukaravgifter.ipynb"
    sub = type(project)(
        project.root, project.config, project.article, ((nb, "Brukaravgifter"),), project.environment
    )
    executed = execute_all(sub, jobs=2)

    table = _outputs(executed, nb, "tbl-brukaravgifter")
    assert f"4{NB}744" in table and f"4{NB}524" not in table
    assert f"+30,0{NB}%" in table  # 4744 / 3649 − 1, since 2019
    chart = _outputs(executed, nb, "fig-brukaravgifter")
    assert "130,0 år 2024" in chart
    article = without_spans(  # a traced figure's span as the text the reader reads (issue 20)
        "\n".join(c.source for c in executed[project.article].notebook.cells if c.cell_type == "markdown")
    )
    # The fee increase for 2024 now spans up to 13,2 % (4744 / 4189 − 1 = 0,1325), stated in the prose.
    assert re.search(rf"och 13,2{NB}%\s+år\s+2024", article)
