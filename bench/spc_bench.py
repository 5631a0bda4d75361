"""Benchmark of coproduce.spc.analyse_many against published Python SPC packages.

Run from the repository root (not part of the test suite):

    .venv/bin/python bench/spc_bench.py

1. 10,000 fictional series of 100 points each, with mixed improvement directions
   and targets: timed with ``analyse_many`` and, in the same run, with each peer
   package doing the same job series by series (XmR limits, special cause rules,
   variation and assurance). Peers that are slow are timed on a sample and scaled
   (``--peer-sample``), and the output says so.
2. 1,000,000 series of 100 points, generated and analysed in chunks by two worker
   processes, with the wall time and the peak resident memory.

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


# --------------------------------------------------------------------------- a million


def worker(args):
    first_chunk, n_chunks, chunk, n_points = args
    special = 0
    variation = np.zeros(7, dtype=np.int64)
    for c in range(first_chunk, first_chunk + n_chunks):
        values, improvement, target = make_chunk(c, chunk, n_points)
        batch = analyse_many(values, improvement=improvement, target=target)
        special += int((batch.point_code > 0).sum())
        variation += np.bincount(batch.variation_code, minlength=7)
        del batch, values
    return special, variation, peak_rss_mb()


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
    return elapsed, special, worker_peaks


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--peer-sample", type=int, default=0, help="0: time every series")
    parser.add_argument("--million", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument("--chunk", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
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

    if args.million:
        elapsed, special, peaks = run_million(args.million, args.points, args.chunk, args.workers)
        parent = peak_rss_mb()
        print(
            f"{args.million:,} series x {args.points} points (generated and analysed in chunks "
            f"of {args.chunk:,}, {args.workers} worker processes): {elapsed:.2f} s, "
            f"{special:,} special cause points"
        )
        print(
            f"peak RSS: parent {parent:.0f} MB, workers "
            + ", ".join(f"{p:.0f} MB" for p in peaks)
            + f"; total at most {parent + sum(peaks):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
