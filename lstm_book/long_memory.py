"""The long-memory experiment of chapter 7: only the first step matters.

A sequence starts with one of `n_symbols` class symbols, then T - 1 steps each show one of `n_noise` distractor
symbols picked at random; at the end the model must name the first symbol. This is the shape of experiment 2a in
Hochreiter & Schmidhuber (1997), where the distractors are likewise symbols of their own. A model that forgets the
first step can only guess: accuracy 1 / n_symbols.

Three models of the same hidden size are compared:
    "rnn"         RNNCell, PyTorch's default initialisation
    "lstm"        LSTMCell, PyTorch's default initialisation (forget_bias=None)
    "lstm-biased" LSTMCell whose belt starts out keeping (forget-gate bias FORGET_BIAS, f ~ 0.99) and mostly
                  closed to writes (input-gate bias INPUT_BIAS, i ~ 0.05)
    "gru"         GRUCell, PyTorch's default initialisation (for the GRU section)

Every model trains with the same batch, learning rate, clipping and budget of updates. The budget is a number of
updates, never a time, so that a run repeated with its seed gives the same numbers.

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import time
from dataclasses import dataclass, field

import numpy as np
from matplotlib.patches import Rectangle

from lstm_lite import GRUCell, LSTMCell, RNNCell, SequenceClassifier, sigmoid, train

from .checks import check_choice, check_number, check_seed, check_size
from .exercises import Verdict, exercise, gates_out_of_range, number, numbers, shown, shown_apart
from .figures import new_figure
from .sushi_train import half_life as belt_half_life
from .unrolled_rnn import FORGET_BIAS, INPUT_BIAS  # chapter 4's keeping LSTM, and its measure

MODELS = ("rnn", "lstm", "lstm-biased", "gru")


def first_symbol_batch(T, batch, rng, n_symbols=4, n_noise=4):
    """A batch of the task: xs (T, batch, n_symbols + n_noise) one-hot, labels (batch,) the first symbol."""
    T, batch = check_size("T", T), check_size("batch", batch)
    n_symbols, n_noise = check_size("n_symbols", n_symbols), check_size("n_noise", n_noise)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, such as np.random.default_rng(0), got {rng!r} of type "
                        f"{type(rng).__name__}")
    labels = rng.integers(0, n_symbols, batch)
    xs = np.zeros((T, batch, n_symbols + n_noise))
    xs[0, np.arange(batch), labels] = 1.0
    noise = rng.integers(0, n_noise, (T - 1, batch))
    xs[1 + np.arange(T - 1)[:, None], np.arange(batch)[None, :], n_symbols + noise] = 1.0
    return xs, labels


def make_model(kind, input_size, hidden_size, n_classes, seed):
    """A SequenceClassifier with the recurrent cell named by `kind` (one of MODELS)."""
    kind, seed = check_choice("kind", kind, MODELS), check_seed("seed", seed)
    if kind == "rnn":
        cell = RNNCell(input_size, hidden_size, seed=seed)
    elif kind == "lstm":
        cell = LSTMCell(input_size, hidden_size, seed=seed, forget_bias=None)
    elif kind == "lstm-biased":
        cell = LSTMCell(input_size, hidden_size, seed=seed, forget_bias=FORGET_BIAS)
        cell.bias_ih[:hidden_size] = INPUT_BIAS
        cell.bias_hh[:hidden_size] = 0.0
    else:  # "gru", the last of MODELS
        cell = GRUCell(input_size, hidden_size, seed=seed)
    return SequenceClassifier(cell, n_classes, seed=seed)


@dataclass
class Run:
    """One training run: did it solve the task, when, and how the loss went."""

    kind: str
    T: int
    seed: int
    solved: bool
    steps: int  # updates until solved (or the budget, if not)
    seconds: float
    accuracy: float  # on held-out sequences, at the end
    loss: list = field(default_factory=list)  # training loss at every update
    grad_norm: list = field(default_factory=list)  # gradient norm before clipping, at every update
    checks: list = field(default_factory=list)  # (update, held-out accuracy) at every check
    model: object = None  # the trained SequenceClassifier


def train_until_solved(kind, T, seed, hidden_size=16, batch=32, lr=3e-2, max_norm=1.0, max_steps=4000,
                       check_every=25, n_test=256, target=0.95, n_symbols=4, n_noise=4, progress=None, nudge=0.0):
    """Train one model on the first-symbol task until held-out accuracy >= target, or max_steps updates.

    Adam with gradient-norm clipping at max_norm; held-out accuracy on n_test fixed sequences every check_every
    updates. Data and initialisation both come from `seed`, so a run can be repeated exactly (apart from
    `seconds`). `progress` is an optional tqdm-like bar (anything with update()) advanced once per update. The loop is
    lstm_lite's `train`.
    `nudge` multiplies every starting weight by (1 + nudge): a perturbation that keeps the seed, for checking that a
    result does not hinge on the last bits of the arithmetic, which differ from machine to machine (1e-12 is plenty).
    """
    kind, T, seed = check_choice("kind", kind, MODELS), check_size("T", T), check_seed("seed", seed)
    for name in ("batch", "max_steps", "check_every", "n_test"):
        check_size(name, locals()[name])
    lr, target = check_number("lr", lr, low=0), check_number("target", target, 0, 1)
    rng = np.random.default_rng(seed)
    test_xs, test_labels = first_symbol_batch(T, n_test, np.random.default_rng(10_000 + seed), n_symbols, n_noise)
    model = make_model(kind, n_symbols + n_noise, hidden_size, n_symbols, seed)
    for p in model.params.values():
        p *= 1.0 + nudge
    run = Run(kind, T, seed, solved=False, steps=0, seconds=0.0, accuracy=0.0, model=model)

    def solved(updates):  # held-out accuracy, every check_every updates: stop once it reaches the target
        run.accuracy = float(np.mean(model.predict(test_xs) == test_labels))
        run.checks.append((updates, run.accuracy))
        return run.accuracy >= target

    start = time.perf_counter()
    history = train(lambda step: model.loss_and_grads(*first_symbol_batch(T, batch, rng, n_symbols, n_noise)),
                    model.params, max_steps, lr=lr, max_norm=max_norm, check=solved, check_every=check_every,
                    progress=False if progress is None else progress)
    run.seconds, run.steps = time.perf_counter() - start, len(history.loss)
    run.loss, run.grad_norm, run.solved = history.loss.tolist(), history.grad_norm.tolist(), run.accuracy >= target
    return run


def summary_table(runs, models=MODELS):
    """Rows (model, T, solved, n, median updates to solve, median seconds, slowest seconds) from stored runs.

    `runs` are dicts as written by tools/long_memory_evidence.py. The medians are over the solved runs only
    (None where none solved); seconds are over every run, solved or not.
    """
    rows = []
    for kind in models:
        for T in sorted({r["T"] for r in runs}):
            cell = [r for r in runs if r["kind"] == kind and r["T"] == T]
            if not cell:
                continue
            solved = [r for r in cell if r["solved"]]
            rows.append({
                "model": kind, "T": T, "solved": len(solved), "runs": len(cell),
                "median_updates": float(np.median([r["steps"] for r in solved])) if solved else None,
                "median_seconds": float(np.median([r["seconds"] for r in solved])) if solved else None,
                "max_seconds": max(r["seconds"] for r in cell),
            })
    return rows


def plot_task(xs, labels, n_symbols=4, n_show=3):
    """Draw a few sequences of the task as symbol-by-step pictures; return the figure."""
    fig = new_figure(7.8, 1.1 * n_show + 0.6)
    axes = fig.subplots(n_show, 1, sharex=True)
    for b, ax in enumerate(axes):
        ax.imshow(xs[:, b].T, aspect="auto", cmap="Greys", interpolation="nearest")
        ax.axhline(n_symbols - 0.5, color="#0072B2", lw=1)
        ax.add_patch(Rectangle((-0.5, -0.5), 1, n_symbols, fill=False, ec="#D55E00", lw=2))
        ax.set_yticks([(n_symbols - 1) / 2, n_symbols + (xs.shape[2] - n_symbols - 1) / 2], ["class", "noise"])
        ax.set_title(f"sequence {b + 1}: the answer is symbol {labels[b]}", fontsize=9, loc="left")
    axes[-1].set_xlabel("time step")
    fig.suptitle("Only the first step matters (orange box); the rest is distraction")
    return fig


def plot_answers(probabilities, labels):
    """Bars: the probability each model gives each class symbol, one panel per sequence; return the figure.

    probabilities : dict name -> (array (B, K), colour); labels : (B,) the right answers.
    """
    B, K = next(iter(probabilities.values()))[0].shape
    fig = new_figure(7.8, 2.9)
    axes = fig.subplots(1, B, sharey=True)
    width = 0.8 / len(probabilities)
    for b, ax in enumerate(np.atleast_1d(axes)):
        for k, (name, (p, colour)) in enumerate(probabilities.items()):
            ax.bar(np.arange(K) + (k - (len(probabilities) - 1) / 2) * width, p[b], width, color=colour,
                   label=name if b == 0 else None)
        ax.axhline(1 / K, color="grey", ls=":", lw=1, label=f"guessing (1/{K})" if b == 0 else None)
        ax.set_xticks(range(K), [f"{k}" + ("\nright" if k == labels[b] else "") for k in range(K)], fontsize=9)
        ax.get_xticklabels()[labels[b]].set_fontweight("bold")
        ax.set(ylim=(0, 1.05), title=f"sequence {b + 1}")
        ax.set_xlabel("class symbol", fontsize=9)
    np.atleast_1d(axes)[0].set_ylabel("probability")
    handles, names = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=len(names), fontsize=9, frameon=False)
    fig.suptitle("What the model says at the last step: a probability for each class symbol", fontsize=10.5)
    return fig


COLOURS = {"rnn": "#D55E00", "lstm": "#CC79A7", "lstm-biased": "#0072B2", "gru": "#009E73"}  # Okabe-Ito
LABELS = {"rnn": "RNN", "lstm": "LSTM, default init", "lstm-biased": "LSTM, belt keeping", "gru": "GRU"}


def plot_loss_curves(runs, loss_every, models=MODELS):
    """One panel per T: the training loss of every run (thin) by model; return the figure."""
    Ts = sorted({r["T"] for r in runs})
    cols = min(2, len(Ts))  # two panels a row: each stays legible in the book's column
    rows = -(-len(Ts) // cols)
    fig = new_figure(7.8, 2.7 * rows + 0.6)
    axes = fig.subplots(rows, cols, sharey=True, sharex=True, squeeze=False)
    axes = axes.ravel()
    for ax in axes[len(Ts):]:
        ax.set_visible(False)
    for k_ax, (ax, T) in enumerate(zip(axes, Ts)):
        for kind in models:
            for k, r in enumerate(x for x in runs if x["kind"] == kind and x["T"] == T):
                steps = loss_every * (np.arange(len(r["loss_blocks"])) + 1)
                ax.plot(steps, r["loss_blocks"], color=COLOURS[kind], lw=1, alpha=0.8, label=LABELS[kind] if k == 0 else None)
        ax.axhline(np.log(4), color="grey", ls=":", lw=1)
        ax.set_xscale("log")
        ax.set_title(f"T = {T}", fontsize=10)
        if k_ax >= len(Ts) - cols:
            ax.set_xlabel("updates")
        if k_ax % cols == 0:
            ax.set_ylabel("training loss")
    axes[0].annotate("guessing: ln 4", (loss_every, np.log(4)), xytext=(0, 4), textcoords="offset points", fontsize=9, color="grey")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=9, frameon=False)  # over no curve
    fig.suptitle("Training loss (cross-entropy), 5 seeds per model: a curve that stops early solved the task",
                 fontsize=10.5)
    return fig


def plot_live(runs, what="loss"):
    """Training loss (what="loss") or gradient norm before clipping (what="grad_norm") of a few live runs.

    runs : dict kind -> Run. Returns the figure.
    """
    fig = new_figure(7, 3.2)
    ax = fig.subplots()
    for kind, run in runs.items():
        ax.plot(np.arange(1, len(run.loss) + 1), getattr(run, what), color=COLOURS[kind], lw=1, label=LABELS[kind])
    T = next(iter(runs.values())).T
    if what == "loss":
        ax.axhline(np.log(4), color="grey", ls=":", lw=1, label="guessing (ln 4)")
        ax.set(xscale="log", ylabel="training loss (cross-entropy)", title=f"Three models learning the task at T = {T}")
    else:
        ax.axhline(1.0, color="black", lw=1, ls="--", label="clipped above this norm")
        ax.set(xscale="log", yscale="log", ylabel="gradient norm before clipping",
               title=f"Gradient norms while training at T = {T}")
    ax.set_xlabel("updates")
    ax.legend(fontsize=9)
    return fig


def plot_influence(curves, floor=1e-12):
    """The influence of x_0 on h_t (chapter 4's measure, ||d h_t / d x_0||) against t for a few models, on a log
    scale; values below `floor` are drawn at it.

    curves : dict label -> (values (T,), colour, linestyle). Returns the figure.
    """
    fig = new_figure(7, 3.4)
    ax = fig.subplots()
    T = max(len(values) for values, _, _ in curves.values())
    for label, (values, colour, style) in curves.items():
        ax.semilogy(np.arange(len(values)), np.maximum(values, floor), color=colour, ls=style, lw=1.8, label=label)
    ax.axhline(floor, color="grey", lw=0.8, ls=":")
    ax.text(T - 1, floor * 3, f"{floor:.0e} and below", ha="right",
            fontsize=9, color="grey")
    ax.set(xlabel="step t", ylabel="influence of x_0 on h_t", ylim=(floor / 3, None),
           title="How much the first input still moves the hidden state, after training")
    ax.legend(fontsize=9, loc="center right")
    return fig


def _seconds(s):
    """A duration for the table: two decimals under a second (never "0.0" for a run that took time), one above."""
    return "< 0.01" if s < 0.005 else f"{s:.2f}" if s < 1 else f"{s:.1f}"


def updates_text(median):
    """A median count of updates as the table and the prose both write it: in whole updates, "-" if no run solved."""
    return "-" if median is None else f"{median:.0f}"


def format_table(rows):
    """The rows of summary_table as a Markdown table."""
    lines = ["| model | T | solved | median updates to solve | median seconds to solve | slowest run (s) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        med = updates_text(r["median_updates"])
        sec = "-" if r["median_seconds"] is None else _seconds(r["median_seconds"])
        lines.append(f"| {LABELS[r['model']]} | {r['T']} | {r['solved']} of {r['runs']} | {med} | {sec} | "
                     f"{_seconds(r['max_seconds'])} |")
    return "\n".join(lines)


# The exercises of the chapter

@exercise("long-memory-1", wrong=0.5)
def _left_after_200(answer):
    left = number(answer)
    f = float(sigmoid(5.0))
    truth = f ** 200
    if not 0 <= left <= 1:
        return Verdict(False, f"What is left is a fraction of the first symbol, between 0 and 1; {shown(left)} came.")
    if abs(left - truth) <= 0.01 * truth:
        return Verdict(True, f"`sigmoid(5) ** 200` = {truth:.3f}: about a quarter of the first symbol is still on the belt "
                             "at step 200, before any training, enough for its gradient to reach the end.")
    if left < 1e-6:
        return Verdict(False, f"{shown(left)} is next to nothing, which is what a forget gate of 0.5 (the default start) "
                              f"would leave: `0.5 ** 200` = {0.5 ** 200:.1e}. Here the bias is 5, so the gate is "
                              f"f = sigmoid(5) = {f:.4f}.")
    return Verdict(False, f"{shown(left)} is not it. Each step keeps the fraction f = sigmoid(5) = {f:.4f} of the belt, "
                          "so 200 steps keep `f ** 200`.")


def _half_life(f):
    """The belt's half-life at forget gate f in [0, 1], without a warning at the ends (0 steps at f = 0, inf at 1)."""
    return 0.0 if f <= 0 else np.inf if f >= 1 else float(belt_half_life(f))


def _verdict_class(b):
    """Which verdict long-memory-2 gives bias b: short of 200 steps, far more than needed, or right."""
    return "short" if _half_life(sigmoid(b)) < 200 - 1e-9 else "big" if b > 10 else "right"  # 1e-9: rounding


def _bias_shown(b):
    """b with as few digits (4 or more) as keep its verdict, and its half-life as shown where that is short:
    5.663097 for 5.663096918706447, not 5.663, whose half-life (199.98) is short of 200."""
    for digits in range(4, 18):
        rounded = float(f"{b:.{digits}g}")
        if _verdict_class(rounded) == _verdict_class(b) and (_verdict_class(b) != "short" or
                                                             shown(_half_life(sigmoid(rounded))) == shown(_half_life(sigmoid(b)))):
            return shown(rounded, digits)
    return repr(b)


@exercise("long-memory-2", wrong=4.0)
def _bias_for_200(answer):
    b = number(answer)
    f = float(sigmoid(b))
    half_life = _half_life(f)
    bias = _bias_shown(b)
    steps = "forever" if half_life == np.inf else f"for {half_life:.0f} steps"
    if _verdict_class(b) == "short":
        if 0.99 <= b < 1:
            return Verdict(False, f"{bias} looks like the forget gate f itself. The answer is the bias b, with "
                                  "sigmoid(b) = f: invert the sigmoid, b = ln(f / (1 - f)).")
        steps = f"{shown(half_life)} step{'' if shown(half_life) == '1' else 's'}"
        short = f"A bias of {bias} gives f = {shown(f, 5)} and a half-life of {steps}"
        if half_life >= 190:
            return Verdict(False, f"{short}, just short of 200: the half-life grows with the bias, so round up, not "
                                  "down.")
        return Verdict(False, f"{short}, short of 200. Hint: find f from the half-life first, then invert the sigmoid: "
                              "b = ln(f / (1 - f)).")
    if _verdict_class(b) == "big":
        gate = "1 to a float's precision" if f == 1 else shown(f, 7)
        return Verdict(False, f"A bias of {bias} works (f = {gate}: the belt keeps half its load {steps}), but "
                              "it is far more than needed, and a gate stuck that close to 1 learns slowly. Look for the "
                              "smallest bias that reaches 200 steps.")
    return Verdict(True, f"A bias of {bias} gives f = {shown(f, 5)}: the belt keeps half its load {steps}.")


@exercise("long-memory-3", wrong=np.r_[0.0, np.full(9, 0.99)])
def _gru_write_then_keep(answer):
    update = numbers(answer)
    if update.shape != (10,):
        got = "one number" if update.shape == () else f"shape {update.shape}"
        return Verdict(False, f"Give one update-gate value per step: an array of shape (10,), not {got}.")
    if why := gates_out_of_range({"update": update}):
        return Verdict(False, why)
    gru = GRUCell(1, 1, seed=0)
    xs = np.random.default_rng(0).normal(size=(10, 1))
    trace = gru.forward(xs, h0=np.array([0.7]), update=update[:, None])
    if np.isclose(trace.h[-1, 0], trace.new[0, 0], rtol=0, atol=1e-12):
        return Verdict(True, "Update 0 at step 0 replaces the state by the new value; update 1 afterwards keeps it.")
    last, new = shown_apart(trace.h[-1, 0], trace.new[0, 0])
    wrong = f"The last state is {last}, not the new value of step 0, {new}."
    if update[0] == 1 and np.all(update[1:] == 0):
        return Verdict(False, f"{wrong} The two moves are swapped: h = (1 - z) · new + z · h_prev, so update 1 keeps "
                              "the old state and update 0 writes the new value.")
    if update[0] != 0:
        return Verdict(False, f"{wrong} At step 0 the update gate is {shown(update[0])}, so the state keeps "
                              f"{shown(update[0])} of the old one and is not replaced. Which update value writes the "
                              "new value fully?")
    k = next((k for k in range(1, 10) if update[k] != 1), None)
    taken = "all" if k is not None and update[k] == 0 else "" if k is None else shown(1 - update[k])
    later = "" if k is None else (f" at step {k} the update gate is {shown(update[k])}, so the state takes in "
                                  f"{taken} of that step's new value:")
    return Verdict(False, f"{wrong} Step 0 is right;{later} which update value keeps the state exactly?")
