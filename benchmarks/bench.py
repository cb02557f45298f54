"""Time lstm_lite against torch.nn.LSTM on the CPU: one thread, float64, interleaved in one process.

    make bench            (or: python benchmarks/bench.py [--repeats 15])

For each size (input, hidden, T, batch) it runs lstm_lite and PyTorch one after the other, `repeats` times, and
prints the median time of each and the ratio lstm_lite / PyTorch. Goals: forward <= 0.75, forward+backward <= 0.5.
The machines are noisy: quote medians and ratios from one run, side by side.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy and torch load their thread pools

import argparse
import time

import numpy as np
import torch

from lstm_lite import LSTMCell

SIZES = [(4, 8, 50, 1), (8, 32, 100, 1), (16, 64, 200, 16)]
GOALS = {"forward": 0.75, "forward+backward": 0.5}


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_size(D, H, T, B, repeats):
    rng = np.random.default_rng(0)
    cell = LSTMCell(D, H, seed=0)
    xs, dh = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))

    lstm = torch.nn.LSTM(D, H).double()
    for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), cell.to_torch()):
        getattr(lstm, name).data = torch.tensor(value)
    x_t, dh_t = torch.tensor(xs), torch.tensor(dh)

    def torch_forward():
        with torch.no_grad():
            lstm(x_t)

    def torch_both():
        lstm.zero_grad()
        x = x_t.clone().requires_grad_(True)
        out, _ = lstm(x)
        out.backward(dh_t)

    ours = {"forward": lambda: cell.forward(xs), "forward+backward": lambda: cell.backward(cell.forward(xs), dh)}
    theirs = {"forward": torch_forward, "forward+backward": torch_both}
    rows = []
    for task in ours:
        ours[task](), theirs[task]()  # warm up
        a, b = [], []
        for _ in range(repeats):  # interleaved, so both see the same machine
            a.append(_timed(ours[task]))
            b.append(_timed(theirs[task]))
        rows.append((task, np.median(a), np.median(b)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"lstm_lite vs torch {torch.__version__} (float64, 1 thread, median of {args.repeats}, interleaved)")
    print(f"{'(input, hidden, T, batch)':<26} {'task':<18} {'lstm_lite ms':>12} {'torch ms':>10} {'ratio':>7} {'goal':>6}")
    worst = {}
    for size in SIZES:
        for task, ours, theirs in bench_size(*size, args.repeats):
            ratio = ours / theirs
            worst[task] = max(worst.get(task, 0.0), ratio)
            verdict = "ok" if ratio <= GOALS[task] else "MISS"
            print(f"{str(size):<26} {task:<18} {ours * 1e3:12.3f} {theirs * 1e3:10.3f} {ratio:7.2f} {GOALS[task]:>5} {verdict}")
    print("worst ratios: " + ", ".join(f"{task} {r:.2f} (goal <= {GOALS[task]})" for task, r in worst.items()))


if __name__ == "__main__":
    main()
