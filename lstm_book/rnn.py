"""Chapter 3: the feedback loop.

    loop_diagram                              the cell with its hidden state fed back in (matplotlib patches)
    scalar_rnn_compute / scalar_rnn_draw      a one-number RNN fed one pulse: memory that fades, holds or saturates;
                                              SCALAR_RNN, its slider picture (static twin and live)
    rnn_states_compute / rnn_heatmap          a real RNNCell over a sequence, its hidden states as a heatmap
    echo_compute / echo_draw                  two sequences that differ only in their first input: how long it shows

Time steps are numbered from 1, as in the book: x_1 is the first input, h_1 the first hidden state.

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lstm_lite import RNNCell, tanh

from .checks import check_count, check_number, check_size
from .exercises import Verdict, exercise, number, shown
from .figures import OKABE_ITO, new_figure
from .sliders import SliderPicture

# -- a picture of the loop ------------------------------------------------------------------------------------


def _arrow(ax, start, end, color="0.15", rad=0.0, lw=1.6):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=lw, color=color,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0))


def loop_diagram():
    """The RNN cell as a box: x_t comes in from below, h_t goes out at the top and is fed back into the box."""
    fig = new_figure(4.8, 3.3)
    ax = fig.subplots()
    ax.set(xlim=(0, 10), ylim=(0, 7.2), aspect="equal")
    ax.set_title("An RNN cell: its output is fed back in", fontsize=11)
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((3.0, 2.5), 5.4, 1.9, boxstyle="round,pad=0.15", fc="#E8F1F8",
                                ec=OKABE_ITO["blue"], lw=2))
    ax.text(5.7, 3.85, "RNN cell", ha="center", va="center", fontsize=10, weight="bold", color=OKABE_ITO["blue"])
    ax.text(5.7, 3.05, r"$h_t = \tanh(W_{ih}\,x_t + W_{hh}\,h_{t-1} + b)$", ha="center", va="center", fontsize=9)
    _arrow(ax, (5.7, 0.75), (5.7, 2.35))
    ax.text(5.7, 0.35, r"input $x_t$", ha="center", va="center", fontsize=10)
    _arrow(ax, (5.7, 4.55), (5.7, 6.35), color=OKABE_ITO["reddish purple"])
    ax.text(5.7, 6.75, r"hidden state $h_t$ (the output)", ha="center", va="center", fontsize=10)
    # the loop: from the output line, round the left, back into the box's left side
    _arrow(ax, (5.7, 5.5), (2.85, 3.45), color=OKABE_ITO["vermillion"], rad=0.75, lw=2.2)
    ax.text(1.35, 5.6, "fed back:\nat the next step\n" + r"it is $h_{t-1}$", ha="center", va="center", fontsize=9,
            color=OKABE_ITO["vermillion"])
    return fig


# -- a one-number loop ----------------------------------------------------------------------------------------


def tanh_fixed_point(w, start=1.0, steps=200):
    """The level h* = tanh(w * h*) at which the tanh loop settles when it gets no input (h* = 0 if |w| <= 1).

    Found by running the loop itself from `start`, which is what the pictures show. For w > 1 the loop has two
    stable levels, +h* and -h*: it keeps the sign of what it was given and forgets its size.
    """
    w, h, steps = check_number("w", w), check_number("start", start), check_count("steps", steps)
    for _ in range(steps):
        h = float(np.tanh(w * h))
    return h


def scalar_rnn_compute(w=0.8, steps=20, pulse=1.0):
    """A one-number RNN, h_t = tanh(1 * x_t + w * h_{t-1}), fed one pulse x_1 = pulse and zeros after.

    Runs RNNCell.from_torch with 1x1 weights, no bias and h_0 = 0, so h_1 = tanh(pulse).

    Returns
    -------
    dict with w, t (steps,) = 1..steps, h (steps,) the hidden states, and h_lin (steps,) = tanh(pulse) * w**(t-1),
    the same loop without the tanh started from the same h_1 (what a linear loop would carry).
    """
    w, steps, pulse = check_number("w", w), check_size("steps", steps), check_number("pulse", pulse)
    cell = RNNCell.from_torch(np.array([[1.0]]), np.array([[w]]), np.zeros(1), np.zeros(1))
    xs = np.zeros((steps, 1))
    xs[0, 0] = pulse
    h = cell.forward(xs).h[:, 0]  # (steps,)
    t = np.arange(1, steps + 1)
    return {"w": float(w), "t": t, "h": h, "h_lin": tanh(pulse) * float(w) ** (t - 1)}


def _verdict(w):
    """What the loop does with the pulse, in words (a negative w flips the sign at every step)."""
    flips = ", flipping sign" if w < 0 else ""
    if abs(w) < 1:
        return "fades away" + flips
    if abs(w) == 1:
        return "fades, slowly" + flips
    # with a flip the title would run off the figure: the sign is the news, "never past 1" the same as for w > 0
    return f"holds at {tanh_fixed_point(abs(w)):.2f}{flips}" if flips else f"holds at {tanh_fixed_point(w):.2f} (never past 1)"


def scalar_rnn_alt(r):
    """What the picture of `scalar_rnn_draw` shows, in words (its alt text), read from the result `r` of
    `scalar_rnn_compute`."""
    return (f"With recurrent weight w = {r['w']:g}, the one-number RNN's state starts at {r['h'][0]:.2f} after the "
            f"pulse and is {r['h'][-1]:.3g} at step {len(r['t'])}; the same loop without tanh would be at "
            f"{r['h_lin'][-1]:.3g}.")


def scalar_rnn_draw(r):
    """The hidden state after one pulse, step by step, with the linear loop (no tanh) dashed.

    The linear curve is clipped to the frame; where it leaves, its value at the last step is written on the plot.
    Every artist that depends on `r` is made here once and set by `scalar_rnn_update`, so a live slider can redraw
    the figure in place.
    """
    fig = new_figure(6.4, 3.2)
    ax = fig.subplots()
    ax.axhline(0, color="0.6", lw=0.8)
    for level in (-1, 1):
        ax.axhline(level, color="0.3", lw=0.6, ls=":")
    t = r["t"]
    ax.loop = {
        "linear": ax.plot(t, np.zeros_like(r["h"]), "--", color="0.45", lw=1.4,
                          label=r"same loop without tanh: $h_1\,w^{t-1}$")[0],
        "hidden": ax.plot(t, r["h"], "o-", color=OKABE_ITO["blue"], lw=2, ms=4, label=r"hidden state $h_t$ (with tanh)")[0],
        "off_chart": ax.annotate("", (t[-1], 2.2), xytext=(-8, -6), textcoords="offset points", ha="right", va="top",
                                 fontsize=9, color="0.3", zorder=5,  # on a white patch, above the curves
                                 bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5}),
        "title": ax.title,
    }
    ax.set(xlabel="time step t",
           ylabel=r"hidden state $h_t$", ylim=(-2.3, 2.3), xlim=(0.5, t[-1] + 0.5), xticks=range(1, len(t) + 1, 2))
    ax.title.set_fontsize(10)
    # under the axes, not on them: a negative w swings the curves through every corner of the frame
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2, fontsize=9, frameon=False)
    fig.static_layer = [ax.xaxis]  # what another number of steps changes: a live redraw draws it alone again
    scalar_rnn_update(fig, r)
    return fig


def scalar_rnn_update(fig, r):
    """Set the curves, the off-chart note and the title of a `scalar_rnn_draw` figure to show `r`; return them.

    For another number of steps it also sets the time axis (limits, ticks) and says so (fig.static_changed): the
    time axis is the figure's static layer, so FastFigure draws it alone again, not the whole figure.
    """
    ax = fig.axes[0]
    part = ax.loop
    t, w = r["t"], r["w"]
    if len(part["hidden"].get_xdata()) != len(t):
        for line in (part["linear"], part["hidden"]):
            line.set_xdata(t)
        ax.set(xlim=(0.5, t[-1] + 0.5), xticks=range(1, len(t) + 1, 2))
        part["off_chart"].xy = (t[-1], 2.2)
        fig.static_changed = True
    part["linear"].set_ydata(np.clip(r["h_lin"], -2.2, 2.2))
    part["hidden"].set_ydata(r["h"])
    off = abs(r["h_lin"][-1]) > 2.2
    part["off_chart"].set_visible(off)
    part["off_chart"].set_text(f"without tanh: {r['h_lin'][-1]:.3g}\nat step {t[-1]}, off the chart" if off else "")
    part["title"].set_text(f"recurrent weight w = {w:g}: the pulse's memory {_verdict(w)}")
    return [part["linear"], part["hidden"], part["off_chart"], part["title"]]


def _scalar_rnn_controls():
    """The live picture's sliders: negative weights too, and longer runs."""
    return {
        "w": widgets.FloatSlider(value=0.8, min=-2.0, max=2.0, step=0.05, description="recurrent weight w"),
        # a new number of steps draws its time axis again (~40 ms): redraw when the slider is let go
        "steps": widgets.IntSlider(value=20, min=5, max=40, description="steps", continuous_update=False),
    }


WEIGHTS = tuple(float(w) for w in np.round(np.arange(0.0, 2.01, 0.1), 2))  # the static slider: 0.0, 0.1, ..., 2.0
# The one-number loop (static: 21 weights from 0 to 2 over 20 steps; live: any weight, any number of steps)
SCALAR_RNN = SliderPicture(
    scalar_rnn_compute, scalar_rnn_draw, scalar_rnn_alt, update=scalar_rnn_update, grid={"w": list(WEIGHTS)},
    start={"w": 0.8}, descriptions={"w": "recurrent weight w"}, label_format="{:.1f}", controls=_scalar_rnn_controls,
)


# -- a real RNNCell -------------------------------------------------------------------------------------------


def demo_inputs(steps=30):
    """The input sequence of chapter 3: two pulses up, one down, a short plateau; shape (steps, 1).

    A shorter sequence is the start of the longer one: the pulses after its end are left out."""
    steps = check_size("steps", steps)
    xs = np.zeros((max(steps, 18), 1))
    xs[[0, 1], 0] = 1.0
    xs[8, 0] = -1.0
    xs[15:18, 0] = 0.5
    return xs[:steps]


def demo_cell(seed=0, hidden_size=8):
    """The RNNCell of chapter 3: PyTorch's seeded start, input weights times 3 so that the pulses show clearly.

    The recurrent weights keep PyTorch's start (for seed 0 and 8 units they shrink a state by at most 0.75 a step
    once the cell is at rest, so echoes fade).
    """
    cell = RNNCell(1, hidden_size, seed=seed)
    cell.weight_ih = 3.0 * cell.weight_ih
    return cell


def rnn_states_compute(seed=0, hidden_size=8, steps=30):
    """Run demo_cell(seed, hidden_size) over demo_inputs(steps); return the RNNTrace (h of shape (steps, H))."""
    return demo_cell(seed, hidden_size).forward(demo_inputs(steps))


def rnn_heatmap(trace, title="hidden state of an RNNCell over a sequence", xs=None):
    """Heatmap of the hidden states (T, H) of one sequence, time across, one row per unit; optional input above."""
    h = np.asarray(trace.h)
    t = np.arange(1, h.shape[0] + 1)
    fig = new_figure(6.4, 3.4 if xs is not None else 2.6)
    if xs is not None:
        top, ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2.2])
        top.axhline(0, color="0.6", lw=0.8)
        top.plot(t, np.asarray(xs)[:, 0], "o-", color=OKABE_ITO["black"], ms=3)
        top.set(ylabel=r"input $x_t$", title=title)
    else:
        ax = fig.subplots()
        ax.set_title(title)
    im = ax.imshow(h.T, aspect="auto", cmap="PuOr_r", vmin=-1, vmax=1, interpolation="nearest",
                   extent=(0.5, h.shape[0] + 0.5, h.shape[1] + 0.5, 0.5))
    ax.set(xlabel="time step t", ylabel="hidden unit", yticks=range(1, h.shape[1] + 1))
    fig.colorbar(im, ax=fig.axes, label=r"$h$ (between -1 and 1)", shrink=0.9)  # both panels keep one width
    return fig


def echo_compute(seed=0, hidden_size=8, steps=30, change=1.0):
    """Run demo_cell on demo_inputs and on a copy whose first input is larger by `change`.

    Returns dict t (steps,), gap (steps,) = ||h_t - h'_t||, the distance between the two runs' hidden states.
    Everything after step 1 is the same in both, so the gap is the echo of the first input alone.
    """
    cell = demo_cell(seed, hidden_size)
    xs, change = demo_inputs(steps), check_number("change", change)
    moved = xs.copy()
    moved[0, 0] += change
    both = cell.forward(np.stack([xs, moved], axis=1)).h  # (steps, 2, H): one batched run
    return {"t": np.arange(1, steps + 1), "gap": np.linalg.norm(both[:, 0] - both[:, 1], axis=1)}


def echo_draw(r):
    """The distance between the two runs' hidden states on a log scale: the echo of the first input."""
    fig = new_figure(6.4, 2.6)
    ax = fig.subplots()
    ax.semilogy(r["t"], r["gap"], "o-", color=OKABE_ITO["vermillion"], ms=3.5, lw=1.8)
    ax.set(title="Change the first input only: how long does the change show?", xlabel="time step t",
           ylabel=r"$\|h_t - h'_t\|$ (log scale)", xlim=(0.5, r["t"][-1] + 0.5))
    ax.grid(True, which="major", color="0.9")
    return fig


# The exercises of the chapter

@exercise("rnn-1", wrong=2.0)
def _weight_that_halves(answer):
    w = number(answer)
    if abs(w - 0.5) <= 0.005:
        return Verdict(True, "w = 0.5: in the loop without tanh each step multiplies the state by w, so it halves "
                             "every step. With the tanh it is close: 0.76, then 0.36, 0.18, ... (tanh of a small "
                             "number is almost the number itself).")
    if abs(w + 0.5) <= 0.005:
        return Verdict(False, "w = -0.5 halves the size, but it also flips the sign at every step (without tanh: "
                              "0.76, -0.38, 0.19, ...). Which weight halves it and keeps the sign?")
    flips = " and flips its sign" if w < 0 else ""
    if w == 0:
        what = "the state is wiped at the first step (0 · h = 0)"
    elif abs(w) == 1:
        what = f"the state keeps its size{flips} at every step ({'-1 · h = -h' if w < 0 else '1 · h = h'})"
    elif abs(w) > 1:
        what = f"the state grows{flips}: each step multiplies its size by {shown(abs(w))}"
    else:
        what = f"the state shrinks{flips}, but each step multiplies its size by {shown(abs(w))}, not by 1/2"
    return Verdict(False, f"With w = {shown(w)} {what}. Each step multiplies the state by w: what w turns 1 into 1/2?")


@exercise("rnn-2", wrong=1.0)
def _level_at_w2(answer):
    level = number(answer)
    h = tanh_fixed_point(2.0, start=np.tanh(1.0))  # from the state after the pulse
    if abs(level - h) <= 0.01:
        return Verdict(True, f"The loop settles at h = {h:.4f}, where h = tanh(2 h): one more step gives back the "
                             "same number. It is below 1 because tanh never reaches 1.")
    if abs(level) >= 1:
        return Verdict(False, f"tanh stays strictly between -1 and 1, so the state cannot reach {shown(level)}. Hint: "
                              "the state stops changing where h = tanh(2 h); run the loop `h = np.tanh(2 * h)` a few "
                              "dozen times from 0.76.")
    if abs(level + h) <= 0.01:
        return Verdict(False, f"{shown(level)} is a resting point of h = tanh(2 h) too, the mirror image of the one "
                              "the loop reaches here: the state starts at +0.76, after the pulse, and the loop keeps "
                              "its sign. Where does it settle on the positive side?")
    if abs(level) <= 0.01:
        about = "0 is" if level == 0 else f"{shown(level)} is about 0,"
        return Verdict(False, f"{about} a resting point of h = tanh(2 h) too (tanh(0) = 0), but an unstable one: a "
                              "state a little above 0 doubles away from it. The state starts at 0.76, after the "
                              "pulse: where does it settle?")
    sign = " The state starts at +0.76, after the pulse, and the loop keeps its sign." if level < 0 else ""
    return Verdict(False, f"{shown(level)} is not where it settles: at h = {shown(level)} the next step gives "
                          f"tanh(2 h) = {shown(np.tanh(2 * level))}, a different number.{sign} Read the w = 2 "
                          "picture, or run `h = np.tanh(2 * h)` a few dozen times.")
