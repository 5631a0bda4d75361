"""Benchmark of coproduce.spc.analyse_many against published Python SPC packages.

Run from the repository root (not part of the test suite):

    .venv/bin/python bench/spc_bench.py

1. 10,000 fictional series of 100 points each, with mixed improvement directions
   and targets: timed with ``analyse_many`` and, in the same run, with each peer
   package doing the same job series by series (XmR limits, special cause rules,
   variation and assurance). Peers that are slow are timed on a sample and scaled
   (``--peer-sample``), and the output says so.
2. Every chart type (XmR, run, p, p', u, u', c, g, t) with ``analyse_many`` on
   10,000 series of 100 points, and the p and u charts against clinical-qikit doing
   the same charts series by series.
3. 1,000,000 XmR series of 100 points, generated and analysed in chunks by two
   worker processes, with the wall time, the workers' CPU time split into making
   the data and analysing it, and the peak resident memory. Chunks of 1,000 series
   keep each array in the processor's cache (chunks of 5,000 were slower). A fixed numpy task
   (the baseline) runs in two processes just before and after, so that a loaded
   machine can be allowed for: the normalised time is the wall time times the share
   of a core the baseline got.

The peers (``abspc``, ``clinical-qikit``) are the ``bench`` extra:
``.venv/bin/pip install -e '.[bench]'`` or ``.venv/bin/pip install abspc clinical-qikit``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coproduce.spc import analyse, analyse_many  # noqa: E402

DIRECTIONS = np.array(["increase", "decrease", "neutral"])


def make_chunk(seed: int, n_series: int, n_points: int):
    """Fictional series: noise around a level, a step change in a third of them."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(20, 80, size=(n_series, 1))
    values = rng.standard_normal((n_series, n_points))
    values *= rng.uniform(1, 5, size=(n_series, 1))
    values += level
    step = rng.random(n_series) < 1 / 3
    values[step, n_points * 2 // 3 :] += 8.0
    improvement = DIRECTIONS[rng.integers(0, 3, n_series)]
    target = np.where(rng.random(n_series) < 0.5, level[:, 0] + rng.normal(0, 10, n_series), np.nan)
    return values, improvement, target


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(who).ru_maxrss / 1024


# --------------------------------------------------------------------------- peers


def peer_abspc():
    import abspc
    import pandas as pd

    def run(values, improvement, target):
        df = pd.DataFrame({"value": values})
        res = abspc.calculate_control_limits(df, "XmR")
        res = abspc.detect_special_causes(res)
        direction = {"increase": "high", "decrease": "low"}.get(improvement, "high")
        abspc.determine_variation_type(res, improvement_direction=direction)
        if not np.isnan(target):
            abspc.determine_assurance_type(res, float(target), improvement_direction=direction)

    return "abspc", run


def peer_qikit():
    from qikit import qic

    def run(values, improvement, target):
        qic(y=values, chart="i", target=None if np.isnan(target) else float(target))

    return "clinical-qikit", run


def time_peer(make, values, improvement, target, sample: int):
    try:
        name, run = make()
    except ImportError as exc:
        return None, f"skipped ({exc.name} is not installed)"
    n = len(values)
    count = min(sample, n) if sample else n
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run(values[0], improvement[0], target[0])  # warm up imports and caches
        start = time.perf_counter()
        for i in range(count):
            run(values[i], improvement[i], target[i])
        elapsed = time.perf_counter() - start
    total = elapsed * n / count
    how = (
        f"all {n:,} series"
        if count == n
        else f"{count:,} series timed ({elapsed:.2f} s) and scaled to {n:,}"
    )
    return (name, total), how


# --------------------------------------------------------------------------- chart family


def make_chart_data(chart: str, seed: int, n_series: int, n_points: int):
    """Fictional data suited to each chart: (values, denominators or None)."""
    rng = np.random.default_rng(seed)
    shape = (n_series, n_points)
    if chart in ("p", "pp"):
        n = rng.integers(20, 400, size=shape).astype(float)
        share = rng.uniform(0.1, 0.9, size=(n_series, 1))
        return rng.binomial(n.astype(np.int64), share).astype(float), n
    if chart in ("u", "up"):
        n = rng.uniform(50, 1000, size=shape)
        rate = rng.uniform(0.01, 0.2, size=(n_series, 1))
        return rng.poisson(n * rate).astype(float), n
    if chart == "c":
        return rng.poisson(rng.uniform(2, 40, size=(n_series, 1)), size=shape).astype(float), None
    if chart == "g":
        return rng.geometric(rng.uniform(0.01, 0.2, size=(n_series, 1)), size=shape) - 1.0, None
    if chart == "t":
        return rng.exponential(rng.uniform(5, 60, size=(n_series, 1)), size=shape) + 0.01, None
    values, _improvement, _target = make_chunk(seed, n_series, n_points)
    return values, None


def time_charts(n_series: int, n_points: int, peer_sample: int) -> None:
    for chart in ("xmr", "run", "p", "pp", "u", "up", "c", "g", "t"):
        values, n = make_chart_data(chart, 777, n_series, n_points)
        analyse_many(values[:50], chart=chart, n=None if n is None else n[:50])
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            batch = analyse_many(values, chart=chart, n=n)
            runs.append(time.perf_counter() - start)
        ours = min(runs)
        for i in range(0, n_series, max(1, n_series // 20)):
            one = analyse(values[i], chart=chart, n=None if n is None else n[i])
            got = batch[i]
            assert one.point_type == got.point_type and np.array_equal(
                one.upper, got.upper, equal_nan=True
            )
            assert one.runs == got.runs
        line = (
            f"chart {chart}: {n_series:,} series x {n_points} points in {ours * 1000:.1f} ms "
            f"(best of 3)"
        )
        if chart in ("p", "u"):
            timed = time_qikit_chart(chart, values, n, peer_sample)
            if timed is None:
                line += "; clinical-qikit not installed"
            else:
                total, how = timed
                line += f"; clinical-qikit {total:.2f} s ({how}): {total / ours:.0f}x faster"
        print(line)


def time_qikit_chart(chart, values, n, sample: int):
    try:
        from qikit import qic
    except ImportError:
        return None
    count = min(sample, len(values)) if sample else len(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qic(y=values[0], n=n[0], chart=chart)
        start = time.perf_counter()
        for i in range(count):
            qic(y=values[i], n=n[i], chart=chart)
        elapsed = time.perf_counter() - start
    total = elapsed * len(values) / count
    how = (
        f"all {len(values):,} series"
        if count == len(values)
        else f"{count:,} series timed ({elapsed:.2f} s) and scaled"
    )
    return total, how


# --------------------------------------------------------------------------- baseline


def baseline_task(_job: int):
    """A fixed numpy job: sort 2,000,000 numbers five times. Wall and CPU seconds."""
    rng = np.random.default_rng(99)
    data = rng.random(2_000_000)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(5):
        np.sort(data)
    return time.perf_counter() - wall, time.process_time() - cpu


def run_baseline(workers: int):
    with mp.get_context("fork").Pool(workers) as pool:
        results = pool.map(baseline_task, range(workers))
    wall = max(r[0] for r in results)
    cpu = max(r[1] for r in results)
    return wall, cpu


# --------------------------------------------------------------------------- a million


def worker(args):
    first_chunk, n_chunks, chunk, n_points = args
    special = 0
    variation = np.zeros(7, dtype=np.int64)
    making = analysing = 0.0
    for c in range(first_chunk, first_chunk + n_chunks):
        cpu = time.process_time()
        values, improvement, target = make_chunk(c, chunk, n_points)
        between = time.process_time()
        batch = analyse_many(values, improvement=improvement, target=target)
        special += int((batch.point_code > 0).sum())
        variation += np.bincount(batch.variation_code, minlength=7)
        analysing += time.process_time() - between
        making += between - cpu
        del batch, values
    return special, variation, peak_rss_mb(), making, analysing


def run_million(n_series: int, n_points: int, chunk: int, workers: int):
    n_chunks = n_series // chunk
    shares = [n_chunks // workers + (w < n_chunks % workers) for w in range(workers)]
    firsts = np.cumsum([0, *shares[:-1]])
    jobs = [(int(f), s, chunk, n_points) for f, s in zip(firsts, shares, strict=True)]
    start = time.perf_counter()
    with mp.get_context("fork").Pool(workers) as pool:
        results = pool.map(worker, jobs)
    elapsed = time.perf_counter() - start
    special = sum(r[0] for r in results)
    worker_peaks = [r[2] for r in results]
    cpu = [(r[3], r[4]) for r in results]
    return elapsed, special, worker_peaks, cpu


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--peer-sample", type=int, default=0, help="0: time every series")
    parser.add_argument("--million", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument("--chunk", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-charts", dest="charts", action="store_false", help="skip the chart family"
    )
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores")
    values, improvement, target = make_chunk(12345, args.series, args.points)

    analyse_many(values[:100], improvement=improvement[:100], target=target[:100])
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        batch = analyse_many(values, improvement=improvement, target=target)
        runs.append(time.perf_counter() - start)
    ours = min(runs)
    print(
        f"coproduce.spc analyse_many: {args.series:,} series x {args.points} points in "
        f"{ours * 1000:.1f} ms (best of 5; {ours / args.series * 1e6:.2f} us per series)"
    )
    # The batch must say what analyse says, series by series.
    for i in range(0, args.series, max(1, args.series // 50)):
        one = analyse(
            values[i],
            improvement=str(improvement[i]),
            target=None if np.isnan(target[i]) else float(target[i]),
        )
        got = batch[i]
        assert one.point_type == got.point_type and np.array_equal(one.upper, got.upper)
        assert one.variation == got.variation and one.assurance == got.assurance

    for make in (peer_abspc, peer_qikit):
        timed, how = time_peer(make, values, improvement, target, args.peer_sample)
        if timed is None:
            print(f"peer {make.__name__.removeprefix('peer_')}: {how}")
            continue
        name, total = timed
        print(f"peer {name}: {total:.2f} s for {args.series:,} series ({how})")
        print(f"speedup vs {name}: {total / ours:.0f}x")

    if args.charts:
        time_charts(args.series, args.points, args.peer_sample)

    if args.million:
        before = run_baseline(args.workers)
        elapsed, special, peaks, cpu = run_million(
            args.million, args.points, args.chunk, args.workers
        )
        after = run_baseline(args.workers)
        parent = peak_rss_mb()
        print(
            f"{args.million:,} series x {args.points} points (generated and analysed in chunks "
            f"of {args.chunk:,}, {args.workers} worker processes): {elapsed:.2f} s, "
            f"{special:,} special cause points"
        )
        print(
            "worker CPU time: "
            + "; ".join(f"making data {m:.2f} s, analysing {a:.2f} s" for m, a in cpu)
        )
        base_wall = (before[0] + after[0]) / 2
        base_cpu = (before[1] + after[1]) / 2
        share = base_cpu / base_wall
        print(
            f"baseline (sort 2,000,000 numbers 5 times, in each of {args.workers} processes, "
            f"before and after): wall {before[0]:.2f} s and {after[0]:.2f} s, CPU "
            f"{before[1]:.2f} s and {after[1]:.2f} s: each process had {share:.0%} of a core"
        )
        print(
            f"normalised to whole cores: {elapsed * share:.2f} s "
            f"({elapsed:.2f} s x {share:.2f}); analysis alone on whole cores: "
            f"{max(a for _m, a in cpu):.2f} s"
        )
        print(
            f"peak RSS: parent {parent:.0f} MB, workers "
            + ", ".join(f"{p:.0f} MB" for p in peaks)
            + f"; total at most {parent + sum(peaks):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
