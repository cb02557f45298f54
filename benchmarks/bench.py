"""Time lstm_lite against torch.nn.LSTM on the CPU: one thread, float64, interleaved in one process.

    make bench            (or: python benchmarks/bench.py [--repeats 15])

For each size (input, hidden, T, batch) it runs lstm_lite and PyTorch one after the other, `repeats` times, and
prints the median time of each and the ratio lstm_lite / PyTorch. Goals: forward <= 0.9, forward+backward <= 0.6.
The machines are noisy: quote medians and ratios from one run, side by side.

Chapter 8's training update is timed in float32 against torch in float32 (goal: ratio <= 1.3).

Then it times the main sliders of the book as a running notebook redraws them (lstm_book.sliders.slider_timings):
the compute alone (goal <= 5 ms) and compute + draw + PNG render (goal <= 50 ms), median over the slider's values.
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
GOALS = {"forward": 0.9, "forward+backward": 0.6}  # issue 22: the readable fast path keeps these


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


SLIDER_GOALS = {"compute_ms": 5.0, "redraw_ms": 50.0}


def sliders():
    """(chapter, slider, compute, draw, update, list of keyword arguments): the live slider of chapters 1, 3, 5, 6.

    A live slider redraws its figure in place (lstm_book.sliders.FastFigure with the picture's update function).
    """
    from lstm_book import lstm_gates as gates
    from lstm_book import refresher as squash
    from lstm_book import rnn as loop
    from lstm_book import sushi_train as sushi

    return [
        ("1", "weight, bias, x", squash.squash_compute, squash.squash_draw, squash.squash_update,
         [dict(weight=w, bias=b, x=x) for w in (0.5, 1.0, 2.0, 4.0) for b in (-2.0, 0.0, 2.0) for x in (None, 1.0)]),
        ("3", "recurrent weight", loop.scalar_rnn_compute, loop.scalar_rnn_draw, loop.scalar_rnn_update,
         [dict(w=w) for w in (-1.5, -0.5, 0.0, 0.5, 0.9, 1.0, 1.5)]),
        # the forced gates change at every redraw here, so the legend changes too (a drag changes one value only)
        ("5", "forced gates", gates.gates_compute, gates.gates_draw, gates.gates_update,
         [dict(input=i, forget=f, output=o) for i in (None, 1.0) for f in (None, 0.0, 1.0) for o in (None, 0.5)]),
        ("6", "forget gate", sushi.half_life_compute, sushi.half_life_draw, sushi.half_life_update,
         [dict(forget=f) for f in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)]),
    ]


def bench_sliders(repeats):
    from lstm_book.sliders import slider_timings

    print(f"\nsliders (median of {repeats} redraws)  goals: compute <= {SLIDER_GOALS['compute_ms']:g} ms, "
          f"compute + draw + PNG <= {SLIDER_GOALS['redraw_ms']:g} ms")
    print(f"{'chapter':<8} {'slider':<18} {'compute ms':>10} {'redraw ms':>10}")
    for chapter, name, compute, draw, update, values in sliders():
        t = slider_timings(compute, draw, values, repeats=repeats, update=update)
        verdict = "ok" if all(t[k] <= SLIDER_GOALS[k] for k in SLIDER_GOALS) else "MISS"
        print(f"{chapter:<8} {name:<18} {t['compute_ms']:10.2f} {t['redraw_ms']:10.1f}  {verdict}")


def bench_influence(repeats):
    """Chapter 4 computes the influence of the first input for T = 1..100 at three scales and says it takes "a
    fraction of a second for a small cell". Goal: <= 0.5 s (median)."""
    from lstm_book.unrolled_rnn import influence_compute

    influence_compute(scales=(0.5, 1.0, 2.0), steps=100, seed=0)
    t = float(np.median([_timed(lambda: influence_compute(scales=(0.5, 1.0, 2.0), steps=100, seed=0))
                         for _ in range(max(3, repeats // 3))]))
    print(f"\nchapter 4, influence for T = 1..100 at three scales: {t:.2f} s (goal <= 0.5 s)  {'ok' if t <= 0.5 else 'MISS'}")


def bench_live_training():
    """The live part of chapter 7: three models trained at T = 100 (seed 0), as the notebook does. Goal: <= 15 s."""
    from lstm_book.long_memory import train_until_solved

    print("\nchapter 7, live training at T = 100 (seed 0, 16 hidden units; goal: all three <= 15 s)")
    total = 0.0
    for kind in ("rnn", "lstm-biased", "gru"):
        run = train_until_solved(kind, T=100, seed=0)
        total += run.seconds
        print(f"{kind:<12} {'solved' if run.solved else 'not solved':<11} {run.steps:5d} updates {run.seconds:6.1f} s")
    print(f"{'total':<12} {'':<11} {'':5} {'':7} {total:7.1f} s  {'ok' if total <= 15 else 'MISS'}")


UPDATE_GOAL = 1.3  # chapter 8: one training update within 1.3 x torch's float32 time (issue 19)


def bench_code_update(repeats):
    """Chapter 8: one training update of the character LSTM (embedding 32, hidden 64, 128 steps, 64 streams, 96
    symbols): forward, backward, clipping and Adam, lstm_lite in float32 against torch in float32, interleaved."""
    from lstm_book.reading_code import TrainingSetup, new_model
    from lstm_lite import Adam, clip_grad_norm

    setup = TrainingSetup()
    V, T, B = 96, setup.chunk, setup.streams
    symbols = np.random.default_rng(0).integers(0, V, (T + 1, B))
    model = new_model(setup, V)
    opt = Adam(model.params, lr=setup.lr)

    def ours():
        _, grads, _ = model.loss_and_grads(symbols[:-1], symbols[1:])
        opt.step(clip_grad_norm(grads, setup.max_norm)[0])

    emb, lstm, out = torch.nn.Embedding(V, setup.embedding), torch.nn.LSTM(setup.embedding, setup.hidden), \
        torch.nn.Linear(setup.hidden, V)
    params = [p for m in (emb, lstm, out) for p in m.parameters()]
    topt = torch.optim.Adam(params, lr=setup.lr)
    s = torch.tensor(symbols)

    def theirs():
        topt.zero_grad()
        hs, _ = lstm(emb(s[:-1]))
        torch.nn.functional.cross_entropy(out(hs).reshape(-1, V), s[1:].reshape(-1)).backward()
        torch.nn.utils.clip_grad_norm_(params, setup.max_norm)
        topt.step()

    ours(), theirs()
    a, b = [], []
    for _ in range(repeats):
        a.append(_timed(ours))
        b.append(_timed(theirs))
    ratio = np.median(a) / np.median(b)
    print(f"\nchapter 8, one training update (float32, {T} steps x {B} streams, hidden {setup.hidden}): lstm_lite "
          f"{np.median(a) * 1e3:.1f} ms, torch {np.median(b) * 1e3:.1f} ms, ratio {ratio:.2f} (goal <= {UPDATE_GOAL})  "
          f"{'ok' if ratio <= UPDATE_GOAL else 'MISS'}")


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
    bench_sliders(args.repeats)
    bench_influence(args.repeats)
    bench_live_training()
    bench_code_update(args.repeats)


if __name__ == "__main__":
    main()
