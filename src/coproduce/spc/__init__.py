"""Statistical process control for Coproduce measures (NHS "Making Data Count").

A pure package: numpy only, no Django. ``analyse`` reads one series (an XmR
chart by default, or a run, p, p', u, u', c, g or t chart), ``analyse_many``
reads many at once; ``render_svg``, ``summary`` and ``table_rows`` turn a result
into a chart, a sentence and table rows. ``funnel`` compares units on a funnel
plot; ``suggest_chart`` and ``suggest_rebase`` help people choose.
"""

from coproduce.spc.chart import render_svg
from coproduce.spc.choose import CHART_CHOICES, RebaseSuggestion, suggest_chart, suggest_rebase
from coproduce.spc.engine import (
    ASSURANCES,
    CHARTS,
    POINT_TYPES,
    SIGNALS,
    VARIATIONS,
    RunsAnalysis,
    SPCBatch,
    SPCResult,
    analyse,
    analyse_many,
)
from coproduce.spc.funnel import FunnelResult, FunnelUnit, funnel
from coproduce.spc.funnel_chart import FunnelRow, funnel_table_rows, render_funnel_svg
from coproduce.spc.text import TableRow, describe, summary, table_rows

__all__ = [
    "ASSURANCES",
    "CHARTS",
    "CHART_CHOICES",
    "POINT_TYPES",
    "SIGNALS",
    "VARIATIONS",
    "FunnelResult",
    "FunnelRow",
    "FunnelUnit",
    "RebaseSuggestion",
    "RunsAnalysis",
    "SPCBatch",
    "SPCResult",
    "TableRow",
    "analyse",
    "analyse_many",
    "describe",
    "funnel",
    "funnel_table_rows",
    "render_funnel_svg",
    "render_svg",
    "suggest_chart",
    "suggest_rebase",
    "summary",
    "table_rows",
]
