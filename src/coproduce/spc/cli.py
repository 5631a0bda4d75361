"""``coproduce spc``: analyse a CSV column and print what it shows; optionally draw it."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from coproduce.spc.chart import render_svg
from coproduce.spc.engine import analyse
from coproduce.spc.text import ASSURANCE_WORDS, VARIATION_WORDS, format_number, summary

__all__ = ["main"]


class _Failure(Exception):
    """A problem to report in one line, with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit code 2, as argparse does
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coproduce spc",
        description="Statistical process control (XmR) chart of one column of a CSV file.",
    )
    parser.add_argument("file", metavar="FILE.csv", help="CSV file with a header row")
    parser.add_argument("--value", required=True, metavar="COL", help="column of values")
    parser.add_argument("--date", metavar="COL", help="column of dates or labels for the points")
    parser.add_argument(
        "--improvement",
        choices=["increase", "decrease", "neutral"],
        default="increase",
        help="which direction is better (default: increase)",
    )
    parser.add_argument("--target", type=float, metavar="N", help="target value")
    parser.add_argument(
        "--rebase",
        nargs="+",
        default=[],
        metavar="DATE",
        help="start a new phase at the row with this date (needs --date)",
    )
    parser.add_argument("--svg", metavar="OUT.svg", help="write the chart to this file")
    parser.add_argument("--title", default=None, help="chart title")
    return parser


def _read(path: str, value_col: str, date_col: str | None) -> tuple[list[float], list[str]]:
    file = Path(path)
    if not file.is_file():
        raise _Failure(f"file not found: {path}")
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            for col in (value_col, date_col):
                if col is not None and col not in columns:
                    listed = ", ".join(columns) or "none"
                    raise _Failure(f"{path}: no column {col!r} (columns: {listed})")
            values: list[float] = []
            labels: list[str] = []
            for row in reader:
                line = reader.line_num
                text = (row.get(value_col) or "").strip()
                try:
                    number = float(text.replace(",", ""))
                except ValueError:
                    raise _Failure(
                        f"{path}, line {line}: {value_col} is {text!r}, not a number"
                    ) from None
                if number != number or number in (float("inf"), float("-inf")):
                    raise _Failure(f"{path}, line {line}: {value_col} is {text!r}, not a number")
                values.append(number)
                labels.append(
                    (row.get(date_col) or "").strip() if date_col else str(len(labels) + 1)
                )
    except UnicodeDecodeError:
        raise _Failure(f"{path}: not a UTF-8 text file") from None
    except csv.Error as exc:
        raise _Failure(f"{path}: not a readable CSV file ({exc})") from None
    except OSError as exc:
        raise _Failure(f"{path}: cannot be read ({exc.strerror})") from None
    return values, labels


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coproduce spc``; returns the exit code (2 for any problem with the input)."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        if args.rebase and not args.date:
            raise _Failure("--rebase needs --date to find the rows")
        values, labels = _read(args.file, args.value, args.date)
        rebase_at = []
        for when in args.rebase:
            if when not in labels:
                raise _Failure(f"--rebase {when}: no row has {args.date} {when!r}")
            rebase_at.append(labels.index(when))
        try:
            result = analyse(
                values, improvement=args.improvement, target=args.target, rebase_at=rebase_at
            )
        except ValueError as exc:
            raise _Failure(f"{args.file}: {exc}") from None
        output = sys.stdout
        latest = result.latest_phase.start
        print(f"Points: {len(values)} ({labels[0]} to {labels[-1]})", file=output)
        if result.n_phases > 1:
            starts = ", ".join(labels[s] for s in result.phase_starts[1:])
            print(f"Phases: {result.n_phases} (new phases from {starts})", file=output)
        print(f"Mean: {format_number(result.mean[latest])}", file=output)
        limits = f"{format_number(result.lower[latest])} to {format_number(result.upper[latest])}"
        trial = " (trial limits)" if result.trial_limits else ""
        print(f"Process limits: {limits}{trial}", file=output)
        signals = [
            f"{labels[i]} ({result.point_type[i].removeprefix('special_cause_').replace('_', ' ')})"
            for i in range(len(values))
            if result.point_type[i] != "common_cause"
        ]
        if len(signals) > 8:
            signals = [*signals[:8], f"and {len(signals) - 8} more"]
        print(f"Special cause points: {', '.join(signals) if signals else 'none'}", file=output)
        print(f"Variation: {VARIATION_WORDS[result.variation]}", file=output)
        if result.assurance is not None:
            print(f"Assurance: {ASSURANCE_WORDS[result.assurance]}", file=output)
        print(summary(result, labels if args.date else None), file=output)
        if args.svg:
            svg = render_svg(
                result,
                labels=labels if args.date else None,
                title=args.title or f"{args.value}",
            )
            try:
                Path(args.svg).write_text(svg, encoding="utf-8")
            except OSError as exc:
                raise _Failure(f"cannot write {args.svg} ({exc.strerror})") from None
            print(f"Chart written to {args.svg}", file=output)
    except _Failure as exc:
        print(f"coproduce spc: error: {exc}", file=sys.stderr)
        return 2
    return 0
