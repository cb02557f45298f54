"""Run the long-memory grid of chapter 7 and write notebooks/data/long_memory.json.

    make evidence      (or: python tools/long_memory_evidence.py [--workers 2])

Every model in lstm_lite.memory.MODELS, at every T in TS, with every seed in SEEDS, is trained by
lstm_lite.memory.train_until_solved with its defaults. The chapter reads the file and plots it; the test
tests/test_memory.py re-runs one cell with its seed and checks that it reproduces the stored numbers.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core per run

import argparse
import json
import platform
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from lstm_lite.memory import MODELS, train_until_solved

TS = (10, 30, 100, 200)
SEEDS = (0, 1, 2, 3, 4)
OUT = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "long_memory.json"
LOSS_EVERY = 25  # the stored loss curve is the mean of each block of this many updates


def summarise(run):
    """A run as plain numbers, its loss curve shortened to block means."""
    loss = np.asarray(run.loss)
    blocks = [float(loss[i : i + LOSS_EVERY].mean()) for i in range(0, len(loss), LOSS_EVERY)]
    return {
        "kind": run.kind, "T": run.T, "seed": run.seed, "solved": run.solved, "steps": run.steps,
        "seconds": round(run.seconds, 2), "accuracy": run.accuracy, "loss_blocks": blocks, "checks": run.checks,
    }


def one(job):
    kind, T, seed = job
    run = summarise(train_until_solved(kind, T, seed))
    print(f"{kind:12s} T={T:4d} seed={seed} solved={run['solved']!s:5s} steps={run['steps']:5d} "
          f"{run['seconds']:6.1f}s accuracy={run['accuracy']:.3f}", flush=True)
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    jobs = [(kind, T, seed) for T in reversed(TS) for kind in MODELS for seed in SEEDS]  # longest first
    start = time.perf_counter()
    with Pool(args.workers) as pool:
        runs = pool.map(one, jobs, chunksize=1)
    runs.sort(key=lambda r: (MODELS.index(r["kind"]), r["T"], r["seed"]))
    OUT.write_text(json.dumps({
        "about": "Written by tools/long_memory_evidence.py; defaults of lstm_lite.memory.train_until_solved.",
        "loss_every": LOSS_EVERY,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.workers} workers",
        "wall_seconds": round(time.perf_counter() - start, 1),
        "runs": runs,
    }, indent=1) + "\n")
    print(f"wrote {OUT} ({len(runs)} runs, {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
