"""Equity statistics: rates with intervals, disclosure control and MHA statistics files.

This package is pure Python plus numpy; it does not import Django.

>>> from coproduce.equity import crude_rate, disclose
>>> round(crude_rate(50, 100_000).lower, 1)
37.1
>>> disclose(13)
'15'
"""

from coproduce.equity.chart import (
    RateRow,
    describe_row,
    dot_interval_svg,
    equity_rows,
    summarise,
    table_rows,
)
from coproduce.equity.disclosure import SUPPRESSED, SuppressedTable, disclose, suppress_table
from coproduce.equity.mha_stats import COLUMNS, MhaStatsRow, parse_mha_stats, read_mha_stats
from coproduce.equity.rates import (
    Z95,
    Estimate,
    byar_limits,
    crude_rate,
    rate_ratio,
    standardised_rate,
)

__all__ = [
    "COLUMNS",
    "SUPPRESSED",
    "Z95",
    "Estimate",
    "MhaStatsRow",
    "RateRow",
    "SuppressedTable",
    "byar_limits",
    "crude_rate",
    "describe_row",
    "disclose",
    "dot_interval_svg",
    "equity_rows",
    "parse_mha_stats",
    "rate_ratio",
    "read_mha_stats",
    "standardised_rate",
    "summarise",
    "suppress_table",
    "table_rows",
]
