"""Statistical process control for Coproduce measures (NHS "Making Data Count").

A pure package: numpy only, no Django. ``analyse`` reads one series,
``analyse_many`` reads many at once; ``render_svg``, ``summary`` and
``table_rows`` turn a result into a chart, a sentence and table rows.
"""

from coproduce.spc.chart import render_svg
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
from coproduce.spc.text import TableRow, describe, summary, table_rows

__all__ = [
    "ASSURANCES",
    "CHARTS",
    "POINT_TYPES",
    "SIGNALS",
    "VARIATIONS",
    "RunsAnalysis",
    "SPCBatch",
    "SPCResult",
    "TableRow",
    "analyse",
    "analyse_many",
    "describe",
    "render_svg",
    "summary",
    "table_rows",
]
