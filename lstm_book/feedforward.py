"""Chapter 2: a feedforward net has no memory.

A small Dense net (1 -> 8 -> 1) reads a sequence of eight numbers, one at a time, in order and shuffled: each output
follows its own input around, whatever came before it. Beside it, the one-number loop of chapter 3,
h_t = tanh(x_t + w h_{t-1}), whose outputs do change when the order changes.

    nomemory_compute / nomemory_draw / nomemory_alt   a sequence and its outputs, in order (top) and shuffled
                                       (bottom); NOMEMORY, the chapter's slider picture over the shuffles

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import numpy as np
from matplotlib.collections import LineCollection

from lstm_lite import Dense, RNNCell

from .checks import check_flag, check_number, check_seed
from .exercises import AnswerError, Verdict, code, described, exercise, number, numbers, shown
from .figures import OKABE_ITO, new_figure
from .sliders import SliderPicture

SEQUENCE = np.array([-1.5, 0.5, 2.0, -0.5, 1.0, -2.0, 0.0, 1.5])  # (T,) = (8,), eight inputs, one number each
LETTERS = "ABCDEFGH"  # a name for each input, so the eye can follow it when the order changes
SHUFFLES = tuple(range(1, 9))  # the shuffle slider: seeds of the random orders
NET_SEED = 1  # a seed whose untrained net spreads its outputs widely enough to see
LOOP_WEIGHT = 0.9  # the loop's feedback weight: how much of the last output comes back in
_COLORS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue",
                                  "black", "yellow")]


def tiny_net(seed=NET_SEED):
    """A feedforward net of two Dense layers, 1 -> 8 (tanh) -> 1: list of Dense, seeded."""
    seed = check_seed("seed", seed)
    return [Dense(1, 8, seed=seed, activation="tanh"), Dense(8, 1, seed=seed + 1)]


def feedforward(layers, xs):
    """Apply the layers in turn. xs : array, shape (..., 1) -> array, shape (..., 1)."""
    for layer in layers:
        xs = layer.forward(xs)
    return xs


def loop_outputs(xs, w=LOOP_WEIGHT):
    """The one-number loop h_t = tanh(x_t + w h_{t-1}), h_{-1} = 0, as an RNNCell. xs (T, 1) -> h (T, 1)."""
    w = check_number("w", w)
    cell = RNNCell.from_torch(np.array([[1.0]]), np.array([[w]]), np.zeros(1), np.zeros(1))
    return cell.forward(xs).h


def shuffled_order(shuffle):
    """The order of the eight steps for one shuffle: the identity for 0, else a seeded permutation (T,).

    None is refused (numpy would draw a new order at every call): a shuffle is a seed, so a picture can be redrawn."""
    shuffle = check_seed("shuffle", shuffle)
    if shuffle == 0:
        return np.arange(len(SEQUENCE))
    return np.random.default_rng(shuffle).permutation(len(SEQUENCE))


def nomemory_compute(shuffle=1, memory=False, seed=NET_SEED):
    """A sequence and its outputs, in order and shuffled.

    Parameters
    ----------
    shuffle : int >= 0, 0 keeps the order, any other number seeds a random order (None is refused: the same
        shuffle must give the same order at every call)
    memory : bool, False: the Dense net of `tiny_net(seed)`; True: the loop of `loop_outputs` (chapter 3)

    Returns
    -------
    dict with order (T,) (step t of the shuffled sequence holds input order[t]), letters (T,) of the original,
    x, y (T,) the sequence and its outputs, x_shuffled = x[order] and y_shuffled (T,) its outputs, memory, shuffle.
    """
    order, memory = shuffled_order(shuffle), check_flag("memory", memory)
    xs = SEQUENCE[:, None]  # (T, 1)
    layers = tiny_net(seed)
    run = loop_outputs if memory else (lambda v: feedforward(layers, v))
    y, y_shuffled = run(xs)[:, 0], run(xs[order])[:, 0]  # (T,), (T,)
    return {"order": order, "letters": np.array(list(LETTERS)), "x": SEQUENCE, "y": y,
            "x_shuffled": SEQUENCE[order], "y_shuffled": y_shuffled, "memory": bool(memory), "shuffle": shuffle}


def _pairs(ax, ids, x, y, title, show_legend):
    """One stick per step: input (open circle) joined to its output (filled square), coloured by input."""
    t = np.arange(len(ids))
    colors = [_COLORS[k] for k in ids]
    # one collection per kind of mark, not one artist per point: a slider draws this many times
    sticks = np.stack([np.column_stack([t - 0.15, x]), np.column_stack([t + 0.15, y])], axis=1)  # (T, 2, 2)
    ax.add_collection(LineCollection(sticks, colors=colors, linewidths=1.2))
    ax.scatter(t - 0.15, x, s=45, facecolors="white", edgecolors=colors, linewidths=1.8, zorder=3,
               label="input x_t" if show_legend else None)
    ax.scatter(t + 0.15, y, s=45, marker="s", c=colors, edgecolors="0.2", linewidths=0.5, zorder=3,
               label="output y_t" if show_legend else None)
    for tt, k in enumerate(ids):
        ax.text(tt - 0.27, x[tt] + 0.12, LETTERS[k], fontsize=9, fontweight="bold", color="0.15", ha="right")
    if show_legend:
        legend = ax.legend(loc="upper right", fontsize=9, ncols=2, frameon=False)
        for handle in legend.legend_handles:  # grey marks in the legend: colour stands for the letter, not the kind
            handle.set_edgecolor("0.3")
            if handle.get_label() == "output y_t":
                handle.set_facecolor("0.3")
    ax.axhline(0, color="0.7", lw=0.6)
    ax.set(title=title, xticks=t, yticks=(-2, 0, 2), ylabel="value", xlim=(-0.7, len(ids) - 0.3), ylim=(-2.6, 3.3))


def nomemory_draw(r):
    """Two rows: the sequence in order and shuffled, each input joined to its output, colour and letter per input."""
    fig = new_figure(6.4, 3.9)
    fig.set_layout_engine("none")  # fixed margins: the slider draws this once per frame, and the layout engine is slow
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"left": 0.09, "right": 0.985, "bottom": 0.11,
                                                                "top": 0.93, "hspace": 0.3})
    what = "a loop (chapter 3)" if r["memory"] else "a feedforward net"
    _pairs(top, range(len(r["x"])), r["x"], r["y"], f"In order, through {what}", True)
    mark = "outputs change with the order" if r["memory"] else "every letter keeps its output"
    _pairs(bottom, r["order"], r["x_shuffled"], r["y_shuffled"], f"Shuffled (shuffle {r['shuffle']}): {mark}", False)
    bottom.set_xlabel("position in the sequence (time step t)")
    return fig


def nomemory_alt(r):
    """The alt text of a picture of `nomemory_draw`: what the result `r` of `nomemory_compute` shows, in words."""
    order = ", ".join(LETTERS[k] for k in r["order"])
    if r["memory"]:
        return (f"Eight inputs A to H through a loop, in order and shuffled as {order}: the same letter gets a "
                "different output in the two orders, because each output also depends on the steps before it.")
    return (f"Eight inputs A to H through a feedforward net, in order and shuffled as {order}: every input keeps "
            "exactly the same output, the pairs only move to new positions.")


# The net over eight shuffles (static only: the website's slider is the whole story)
NOMEMORY = SliderPicture(nomemory_compute, nomemory_draw, nomemory_alt, grid={"shuffle": list(SHUFFLES)},
                         start={"shuffle": 2}, descriptions={"shuffle": "shuffle number"}, label_format="{:d}")


# The exercises of the chapter

NEW_SEQUENCE = np.array([2.0, -2.0, 1.5, 0.5])  # exercise feedforward-2: old inputs in a new order


def swapped(xs, i=2, j=5):
    """A copy of xs with steps i and j swapped."""
    out = np.array(xs, dtype=np.float64)
    out[[i, j]] = out[[j, i]]
    return out


def changed_positions(run, i=2, j=5):
    """The positions whose output differs once inputs i and j of SEQUENCE are swapped (run: xs (T, 1) -> (T, 1))."""
    xs = SEQUENCE[:, None]
    before, after = run(xs)[:, 0], run(swapped(xs, i, j))[:, 0]
    return sorted(int(t) for t in np.flatnonzero(np.abs(before - after) > 1e-12))


def _positions(answer):
    """The positions of a feedforward-1/3 answer as a sorted list of distinct whole numbers in 0 .. T - 1 (a list, a
    tuple, a set or an array); else AnswerError saying what came."""
    if isinstance(answer, (set, frozenset)):  # {2, 5} is a fine way to say which positions
        plain = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in answer)
        values = np.array(sorted(answer), dtype=np.float64) if plain else None
    else:  # NaN, booleans and the like: said by numbers
        values = None if isinstance(answer, str) else np.atleast_1d(numbers(answer))
    if values is None or values.ndim != 1 or not np.all(np.isfinite(values)) or not np.all(np.mod(values, 1) == 0):
        raise AnswerError(f"expected the positions as a list of whole numbers, e.g. {code('[0, 1]')}, got "
                          f"{described(answer)}")
    outside = values[(values < 0) | (values >= len(SEQUENCE))]
    if outside.size:
        raise AnswerError(f"expected positions from 0 to {len(SEQUENCE) - 1} (the sequence has {len(SEQUENCE)} "
                          f"steps), got {shown(outside[0])}")
    return sorted({int(v) for v in values})


def _check_positions(answer, right, why, hint_more, hint_fewer):
    given = _positions(answer)
    if given == right:
        return Verdict(True, why)
    missing, extra = sorted(set(right) - set(given)), sorted(set(given) - set(right))
    if extra:
        return Verdict(False, f"The outputs at {extra} do not change. Hint: {hint_fewer}")
    return Verdict(False, f"You missed position(s) {missing}. Hint: {hint_more}")


@exercise("feedforward-1", wrong=[2, 3, 4, 5])
def _swap_in_dense(answer):
    layers = tiny_net()
    right = changed_positions(lambda xs: feedforward(layers, xs))
    return _check_positions(
        answer, right,
        f"Only positions {right} change, and they simply trade outputs: each output belongs to its own input.",
        "the inputs at 2 and 5 both moved, so both their outputs move with them.",
        "a feedforward net looks at one input at a time; an output can change only if its own input changed.")


@exercise("feedforward-2", wrong=0.5)
def _output_without_running(answer):
    y = number(answer)
    ys = feedforward(tiny_net(), SEQUENCE[:, None])[:, 0]  # the table of the chapter
    right = float(feedforward(tiny_net(), NEW_SEQUENCE[:, None])[-1, 0])
    if abs(y - right) <= 0.002:
        return Verdict(True, f"The last input is 0.5, input B of the first sequence, so the output is B's: "
                             f"{right:.3f}. What came before it does not matter.")
    if abs(y - 0.5) <= 0.002:
        return Verdict(False, "0.5 is the last input; the question asks for the net's output there. Hint: find 0.5 in "
                              "the first sequence and read its output from the table.")
    if abs(y - ys[-1]) <= 0.002:
        return Verdict(False, f"{shown(y)} is the output at the last step of the first sequence, where the input was "
                              f"{SEQUENCE[-1]:g}. The new sequence ends with 0.5: find 0.5 in the first sequence and read "
                              "its output from the table.")
    return Verdict(False, f"{shown(y)} is not the output at the last step. Hint: the last input is 0.5. Find 0.5 in the "
                          "first sequence and read its output from the table; the steps before it make no difference.")


@exercise("feedforward-3", wrong=[2, 5])
def _swap_in_loop(answer):
    right = changed_positions(loop_outputs)
    return _check_positions(
        answer, right,
        f"Positions {right} change: from the first swapped step on, every output carries what came before it.",
        "in the loop each output feeds the next step, so a change at step 2 travels forward to every later step.",
        "the steps before the first swap saw exactly the same inputs, so their outputs cannot change.")
