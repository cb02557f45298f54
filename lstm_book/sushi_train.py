"""Chapter 6: the sushi train, the cell state as a conveyor belt.

Three pictures, each from a real LSTMCell (or RNNCell) run:

* the belt, step by step (`belt_compute` / `belt_draw`, animated by `belt_animation`): an LSTM with 3 memory cells
  whose gates are forced to a script, so every plate is an actual value of the cell state c;
* the first value of a long sequence, kept by the LSTM's belt and lost by a plain RNN (`first_value_compute` /
  `first_value_draw`);
* the memory half-life, ln 0.5 / ln f steps, for a forget gate f (`half_life_compute` / `half_life_draw` /
  `half_life_alt`, and `half_life_update` to redraw it in place for a live slider): the slider picture `HALF_LIFE`.

The metaphor is Olah's "Understanding LSTM Networks" (2015); the forget gate is Gers, Schmidhuber & Cummins (2000).

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import hashlib
import re

import ipywidgets as widgets
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.ticker import NullLocator

from lstm_lite import LSTMCell, RNNCell
from lstm_lite._checks import as_float_array

from .checks import check_index, check_number, check_numbers, check_seed, check_size
from .exercises import Verdict, entries, exercise, gates_out_of_range, number, numbers, shown, shown_apart
from .figures import GATE_COLORS, OKABE_ITO, PX_PER_INCH, new_figure, smallest_text_px
from .sliders import SliderPicture

PLUS, MINUS = OKABE_ITO["sky blue"], OKABE_ITO["reddish purple"]  # the sign of a plate (not a gate colour)

# --------------------------------------------------------------------------------------------------------------
# The belt, step by step

BELT_DISHES = np.array([0.7, 0.8, 0.6, -0.9, 1.0, 1.0, 1.0, 1.0, 0.5, -0.7, -0.8, 0.9, 0.3, -0.5])[:, None]  # (14, 1)


def belt_cell(weight=1.5):
    """An LSTM with 1 input and 3 memory cells whose candidate is g = tanh(weight * x) in every cell.

    Only the candidate has weights: the three gates are forced by hand in `belt_compute`, so they need none, and
    with weight_hh = 0 every cell is offered the same dish g at a step. PyTorch's layout, blocks i, f, g, o.
    """
    H, weight = 3, check_number("weight", weight)
    w_ih = np.zeros((4 * H, 1))
    w_ih[2 * H : 3 * H] = weight  # the candidate block
    return LSTMCell.from_torch(w_ih, np.zeros((4 * H, H)), np.zeros(4 * H), np.zeros(4 * H))


def belt_gates(steps=14):
    """The script of the belt: input, forget and output gates, each of shape (steps, 3), values in [0, 1].

    cell 1 takes a plate at step 1, keeps it (forget 1) and shows it (output 1) from step 12 on;
    cell 2 takes a plate at step 2, shrinks it (forget 0.7) at steps 3-7, clears it (forget 0) at step 8 and takes
    a new plate at step 10, shown all along; cell 3 takes a plate at each of steps 4-7 (they pile up: c > 1) and
    shows it from step 4 on. Every other dish is blocked (input 0). A shorter script is the start of the longer one.
    """
    steps = check_size("steps", steps)
    n = max(steps, len(BELT_DISHES))  # the whole script, cut to `steps` at the end
    input_, forget, output = np.zeros((n, 3)), np.ones((n, 3)), np.zeros((n, 3))
    input_[1, 0] = 1.0
    output[12:, 0] = 1.0
    input_[[2, 10], 1] = 1.0
    forget[3:8, 1] = 0.7
    forget[8, 1] = 0.0
    output[:, 1] = 1.0
    input_[4:8, 2] = 1.0
    output[4:, 2] = 1.0
    return {"input": input_[:steps].copy(), "forget": forget[:steps].copy(), "output": output[:steps].copy()}


def belt_compute(cell=None, xs=None, gates=None):
    """Run the belt: `cell` (default `belt_cell()`) over `xs` (default BELT_DISHES) with `gates` forced.

    Returns the LSTMTrace: c, h and the four gates, each (T, 3); c is what lies on the belt after each step.
    """
    cell = belt_cell() if cell is None else cell
    xs = BELT_DISHES if xs is None else as_float_array("xs", xs)
    if xs.ndim != 2 or xs.shape[0] == 0:
        raise ValueError(f"xs must be one sequence of dishes, shape (T, {cell.input_size}) with T >= 1, got shape {xs.shape}")
    gates = belt_gates(len(xs)) if gates is None else gates
    if not isinstance(gates, dict):
        raise TypeError(f"gates must be a dict of gates by name ({', '.join(GATES)}), got {repr(gates)[:60]} of type "
                        f"{type(gates).__name__}")
    if not set(gates) <= set(GATES):
        raise ValueError(f"gates must be a dict whose keys are among {', '.join(GATES)}, got the keys "
                         f"{sorted(map(str, gates))}")
    return cell.forward(xs, **gates)


GATES = ("input", "forget", "candidate", "output")


def _step_of(trace, t):
    """t, checked: a step of the trace (0 .. T - 1)."""
    c = getattr(trace, "c", None)
    if not isinstance(c, np.ndarray) or c.ndim != 2:
        raise TypeError(f"trace must be the LSTMTrace of one sequence (c of shape (T, H)), got {type(trace).__name__}")
    return check_index("t", t, c.shape[0], f"a step of the trace's {c.shape[0]}")


def belt_events(trace, t, tol=1e-3):
    """What happens at step t, in words: a list like ['cell 1 takes a plate', 'the hand clears cell 2']."""
    t, tol = _step_of(trace, t), check_number("tol", tol, low=0)
    c_prev = trace.c[t - 1] if t else trace.c0
    events = []
    for k in range(trace.c.shape[1]):
        f, i, g, o = (trace.forget[t, k], trace.input[t, k], trace.candidate[t, k], trace.output[t, k])
        if abs(c_prev[k]) > tol and f < 1 - tol:
            events.append(f"the hand clears cell {k + 1}" if f < tol else f"the hand shrinks cell {k + 1} (×{f:.1f})")
        if i * abs(g) > tol:
            events.append(f"cell {k + 1} takes a plate")
        o_prev = trace.output[t - 1, k] if t else 0.0
        if o > tol and abs(trace.c[t, k]) > tol and (o_prev <= tol or abs(c_prev[k]) <= tol):
            events.append(f"the diner sees cell {k + 1}")  # a window opens onto a plate, or a plate comes into view
    if np.all(trace.input[t] * np.abs(trace.candidate[t]) <= tol):
        events.append("the dish is turned away")
    return events


def _hand_marker():
    """A hand (palm, four fingers, a thumb) as a marker path, so it stays a hand whatever the axes' aspect."""
    def box(x0, y0, x1, y1):
        return Path([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], closed=True)

    parts = [box(-0.45, -0.6, 0.45, 0.15)]  # palm
    parts += [box(x, 0.1, x + 0.19, top) for x, top in zip((-0.45, -0.22, 0.01, 0.24), (0.75, 0.9, 0.85, 0.65))]
    parts.append(Path([(0.45, -0.3), (0.85, 0.15), (0.72, 0.3), (0.45, 0.05), (0.45, -0.3)], closed=True))  # thumb
    return Path.make_compound_path(*parts)


HAND = _hand_marker()
PLATE_AREA = 700.0  # marker area (points²) of the largest plate


def _plate_sizes(values, biggest):
    return PLATE_AREA * np.abs(values) / biggest  # area, not radius, grows with |c|: a plate twice as full looks it


def _belt_axes(fig, trace):
    """The parts of the belt picture that stay the same at every step: lanes, labels, legend.

    Returns (belt axes, diner axes, lane: dict memory cell k -> its y position).
    """
    from matplotlib.patches import FancyBboxPatch

    T, H = trace.c.shape
    belt, diner = fig.subplots(1, 2, width_ratios=[3.4, 1])
    lane = {k: H - 1 - k for k in range(H)}  # cell 1 on top
    for y in lane.values():
        belt.add_patch(FancyBboxPatch((-0.5, y - 0.36), T, 0.72, boxstyle="round,pad=0,rounding_size=0.25",
                                      fc="0.9", ec="0.65", lw=0.8, zorder=1))
    belt.set(xlim=(-0.6, T + 0.9), ylim=(-0.6, H + 0.6), xticks=range(0, T, 2),
             yticks=[*lane.values(), H + 0.05], yticklabels=[*(f"cell {k + 1}" for k in lane), "chef offers g"],
             xlabel="time step (the belt runs left to right)")
    belt.spines[["top", "right"]].set_visible(False)
    diner.axvline(0, color="0.5", lw=0.8)
    diner.set(xlim=(-1.05, 1.05), ylim=(-0.6, H + 0.6), yticks=[], xticks=[-1, 0, 1], xlabel="h = o·tanh(c)")
    diner.set_title("the diner sees", fontsize=9.5)
    diner.spines[["top", "right", "left"]].set_visible(False)
    handles = [
        Line2D([], [], ls="", marker="o", ms=9, mfc=PLUS, mec="0.15", label="plate: c > 0"),
        Line2D([], [], ls="", marker="o", ms=9, mfc=MINUS, mec="0.15", label="plate: c < 0"),
        Line2D([], [], color=GATE_COLORS["input"], marker=">", ms=5, label="input gate puts on"),
        Line2D([], [], ls="", marker=HAND, ms=11, color=GATE_COLORS["forget"], label="forget gate takes away"),
        Line2D([], [], ls="", marker="s", ms=8, color=GATE_COLORS["hidden"], label="what the diner sees, h"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=9, frameon=False,
               handletextpad=0.3, columnspacing=1.0)
    return belt, diner, lane


def _belt_step(fig, belt, diner, lane, trace, t):
    """Draw what changes at step t onto the axes of `_belt_axes`; returns the new artists (to remove later)."""
    H = trace.c.shape[1]
    biggest = max(np.abs(trace.c).max(), np.abs(trace.candidate).max(), 1e-9)
    chef_y = H + 0.05
    drawn = [belt.axvspan(t - 0.5, t + 0.5, color=OKABE_ITO["yellow"], alpha=0.3, lw=0)]
    steps = np.arange(t + 1)
    # the chef's row: the dish g offered at every step so far (the input gate decides whether it goes on)
    g = trace.candidate[: t + 1, 0]
    drawn.append(belt.scatter(steps, np.full(t + 1, chef_y), s=_plate_sizes(g, biggest), c=np.where(g > 0, PLUS, MINUS),
                              alpha=0.45, edgecolors=GATE_COLORS["candidate"], linewidths=1.5, zorder=3))
    for k, y in lane.items():
        c = trace.c[: t + 1, k]
        on = np.abs(c) > 1e-3
        drawn.append(belt.scatter(steps[on], np.full(on.sum(), y), s=_plate_sizes(c[on], biggest),
                                  c=np.where(c[on] > 0, PLUS, MINUS), edgecolors="0.15", linewidths=0.8, zorder=3))
        c_prev = trace.c[t - 1, k] if t else trace.c0[k]
        if abs(c_prev) > 1e-3 and trace.forget[t, k] < 1 - 1e-3:  # the forget gate takes some (or all) away
            drawn.append(belt.scatter([t], [y], s=_plate_sizes(c_prev, biggest), facecolors="none",
                                      edgecolors=GATE_COLORS["forget"], linestyle="--", linewidths=1.3, zorder=4))
            drawn.append(belt.scatter([t - 0.42], [y + 0.2], s=420, marker=HAND, c=GATE_COLORS["forget"], zorder=5))
        if trace.input[t, k] * abs(trace.candidate[t, k]) > 1e-3:  # the input gate puts the dish on
            drawn.append(belt.annotate("", xy=(t, y + 0.3), xytext=(t, chef_y - 0.3), zorder=5,
                                       arrowprops={"arrowstyle": "-|>", "color": GATE_COLORS["input"], "lw": 1.6}))
        drawn.append(belt.text(t + 0.55, y - 0.05, f"c = {trace.c[t, k]:.2f}", fontsize=9, va="center", zorder=6,
                               bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.5}))
        # the diner's view of this cell: h = o·tanh(c), and whether the output gate lets it through
        h, o = trace.h[t, k], trace.output[t, k]
        drawn.append(diner.barh(y - 0.1, h, height=0.4, color=GATE_COLORS["hidden"], zorder=3))
        words = f"o = {o:.0f}: hidden" if o < 1e-3 else f"o = {o:.0f}, h = {h:.2f}"
        drawn.append(diner.text(-1.0, y + 0.15, words, fontsize=9, va="bottom", color="0.45" if o < 1e-3 else "0.1",
                                zorder=4, bbox={"fc": "white", "ec": "none", "pad": 0.5}))  # over the zero line
    fig.suptitle(f"Step {t}: " + "; ".join(belt_events(trace, t)), fontsize=10.5, x=0.01, ha="left")
    return drawn


def belt_draw(trace, t):
    """The belt at step t: plates (area = |c|) on three lanes, the gates at work, and what the diner sees."""
    t = _step_of(trace, t)
    fig = new_figure(7.8, 3.4)
    _belt_step(fig, *_belt_axes(fig, trace), trace, t)
    return fig


def belt_animation(trace, dpi=PX_PER_INCH, fps=1.2):
    """A matplotlib FuncAnimation of the belt, one frame per step, as a self-contained HTML+JS player.

    Returns the HTML string of `to_jshtml()` (frames embedded as PNG, so it plays on a static website).
    Only what changes is redrawn from frame to frame, and the layout is computed once, on the first frame.
    Drawn at PX_PER_INCH, not twice that: the player embeds every frame in full colour (the page's weight), and
    its frame image says the size of its smallest text in its pixels (`data-smallest-text-px`, for the tests).
    """
    fig = new_figure(7.8, 3.4)
    fig.set_dpi(dpi)
    axes = _belt_axes(fig, trace)
    drawn = _belt_step(fig, *axes, trace, 0)
    fig.canvas.draw()  # constrained layout places the axes once ...
    fig.set_layout_engine("none")  # ... and keeps them there for every frame

    def frame(t):
        for artist in drawn:
            artist.remove()
        drawn[:] = _belt_step(fig, *axes, trace, t)
        return drawn

    anim = FuncAnimation(fig, frame, frames=trace.c.shape[0], interval=1000 / fps, repeat=False)
    page = anim.to_jshtml(fps=fps, default_mode="once")
    # matplotlib names the player's elements with a random uuid; a name drawn from the content keeps the page the
    # same from build to build (the tests compare two runs of every chapter)
    random_id = re.search(r"_anim_img([0-9a-f]+)", page).group(1)
    page = page.replace(random_id, hashlib.sha1(page.replace(random_id, "").encode()).hexdigest()[: len(random_id)])
    smallest = f' data-smallest-text-px="{smallest_text_px(fig, dpi):.2f}"'
    return re.sub(r'(<img id="_anim_img[0-9a-f]+")', lambda m: m.group(1) + smallest, page, count=1)


# --------------------------------------------------------------------------------------------------------------
# The payoff: the first value of a long sequence


def first_value_sequences(steps=120, noise=0.5, seed=0):
    """Two sequences, shape (steps, 2, 1): a value +1 or -1 at step 0, then the same noise in both."""
    steps, noise, seed = check_size("steps", steps), check_number("noise", noise), check_seed("seed", seed)
    rng = np.random.default_rng(seed)
    xs = np.repeat(noise * rng.normal(size=(steps, 1, 1)), 2, axis=1)
    xs[0, :, 0] = (1.0, -1.0)
    return xs


def first_value_compute(steps=120, hidden=8, seed=0, keep=1.0):
    """Feed both first_value_sequences to a plain RNNCell and to an LSTMCell, both seeded as PyTorch starts them.

    The LSTM's gates are held as a trained LSTM would set them for this task: input 1 at step 0 and 0 after,
    forget `keep` at every step, output 1. What is left of the first value at step t is the gap between the two
    runs: for the RNN in h (what it carries), for the LSTM in c (its belt), both the norm over the cells.

    Returns dict t (steps,), rnn_h (steps, 2) and lstm_c (steps, 2): in both runs, the unit of each model that
    the first value moved most; rnn_gap and lstm_gap (steps,); and the traces.
    """
    xs = first_value_sequences(steps, seed=seed)
    hidden, keep = check_size("hidden", hidden), check_number("keep", keep, 0, 1)
    rnn = RNNCell(1, hidden, seed=seed).forward(xs)
    write = np.zeros((steps, 1, 1))
    write[0] = 1.0
    lstm = LSTMCell(1, hidden, seed=seed, forget_bias=None).forward(xs, input=write, forget=keep, output=1.0)
    rnn_unit = np.argmax(np.abs(rnn.h[0, 0] - rnn.h[0, 1]))
    lstm_unit = np.argmax(np.abs(lstm.c[0, 0] - lstm.c[0, 1]))
    return {
        "t": np.arange(steps), "keep": keep, "rnn_h": rnn.h[:, :, rnn_unit], "lstm_c": lstm.c[:, :, lstm_unit],
        "rnn_gap": np.linalg.norm(rnn.h[:, 0] - rnn.h[:, 1], axis=-1),
        "lstm_gap": np.linalg.norm(lstm.c[:, 0] - lstm.c[:, 1], axis=-1),
        "rnn": rnn, "lstm": lstm,
    }


def first_value_draw(r):
    """Left: cell 1 of each model in the two runs (+1 first, -1 first). Right: the gap between the runs, log scale."""
    fig = new_figure(7.8, 3.0)
    runs, gap = fig.subplots(1, 2, width_ratios=[1.3, 1])
    t = r["t"]
    for k, style in enumerate(("-", "--")):
        runs.plot(t, r["rnn_h"][:, k], style, color=OKABE_ITO["vermillion"], lw=1.3)
        runs.plot(t, r["lstm_c"][:, k], style, color=OKABE_ITO["blue"], lw=1.8)
    runs.axhline(0, color="0.7", lw=0.6)
    low, high = runs.get_ylim()
    runs.set(title="one unit of each, in the two runs", xlabel="time step t", ylabel="state",
             ylim=(low, high + 0.45 * (high - low)))
    handles = [Line2D([], [], color=OKABE_ITO["vermillion"], label="RNN: h"),
               Line2D([], [], color=OKABE_ITO["blue"], lw=1.8, label="LSTM: belt c"),
               Line2D([], [], color="0.3", label="first value +1"),
               Line2D([], [], color="0.3", ls="--", label="first value -1")]
    runs.legend(handles=handles, fontsize=9, frameon=False, loc="upper right", ncol=2)
    runs.text(t[-1] / 2, r["rnn_h"][5:, 0].max(), "RNN: the two runs soon draw one line", ha="center", va="bottom",
              fontsize=9, color=OKABE_ITO["vermillion"])
    gap.semilogy(t, np.maximum(r["rnn_gap"], 1e-17), color=OKABE_ITO["vermillion"], lw=1.6, label="RNN: h")
    gap.semilogy(t, r["lstm_gap"], color=OKABE_ITO["blue"], lw=2, label="LSTM: belt c")
    gap.set(title="what is left of the first value", xlabel="time step t", ylabel="gap between the runs (log)",
            ylim=(1e-17, 10))
    gap.legend(fontsize=9, frameon=False, loc="center right")
    return fig


# --------------------------------------------------------------------------------------------------------------
# The half-life of a plate

FORGET_VALUES = (0.5, 0.7310585786300049, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999)  # 0.731 = sigmoid(1)
PLATE_STEPS = (0, 1, 10, 100, 1000)


def half_life(f):
    """Steps until a forget gate f (a number or an array, each in [0, 1]), applied at every step, has halved a
    plate: ln 0.5 / ln f. A gate of 1 keeps the plate whole for ever: inf. A gate of 0 clears it at once: 0, the
    limit of ln 0.5 / ln f as f goes to 0 (shorter than any step, as for every f < 0.5 below one step)."""
    f = check_numbers("f", f, 0, 1)
    with np.errstate(divide="ignore"):  # ln 0 = -inf gives 0 steps; ln 1 = 0 is set to inf below
        steps = np.log(0.5) / np.log(f)
    return np.where(np.asarray(f) == 1, np.inf, steps)[()]


def half_life_compute(forget=0.9, steps=1000):
    """What is left of a plate after t steps at forget gate f = `forget`: f**t for t = 1 .. steps, and the half-life.

    Returns dict f, half_life, t (steps,), left (steps,), plate_steps and plate_left (what is left at PLATE_STEPS).
    """
    f, steps = check_number("forget", forget, 0, 1), check_size("steps", steps)
    t = np.arange(1, steps + 1)
    plate_steps = np.array(PLATE_STEPS)
    return {"f": f, "half_life": half_life(f), "t": t, "left": f ** t.astype(float), "plate_steps": plate_steps,
            "plate_left": f ** plate_steps.astype(float)}


def half_life_draw(r):
    """Top: a plate after 0, 1, 10, 100, 1000 steps. Bottom: what is left against steps (log), half-life marked.

    Every artist that depends on `r` is made here once and set by `half_life_update`, so a live slider can redraw
    the figure in place (lstm_book.sliders.FastFigure).
    """
    fig = new_figure(7.2, 3.7)
    fig.set_layout_engine("none")  # a fixed layout: constrained layout would double the time of a slider's redraw
    plates = fig.add_axes((0.02, 0.66, 0.96, 0.27))
    curve = fig.add_axes((0.1, 0.13, 0.87, 0.5))
    n = len(r["plate_steps"])
    plates.scatter(range(n), np.full(n, 0.3), s=900, facecolors="none", edgecolors="0.6", linestyle=":")
    # What the forget gate changes, in drawing order; half_life_update sets them.
    fig.half_life = {
        "plates": plates.scatter(np.zeros(0), np.zeros(0), s=np.zeros(0), c=PLUS, edgecolors="0.15", linewidths=0.8),
        "plate_labels": [plates.text(k, -0.4, "", fontsize=9, ha="center", va="center") for k in range(n)],
    }
    plates.set(xlim=(-0.6, n - 0.4), ylim=(-0.85, 0.75))
    plates.axis("off")
    fig.half_life["title"] = fig.suptitle("", fontsize=10.5, y=0.98)
    fig.half_life["curve"] = curve.semilogx(r["t"], r["left"], color=GATE_COLORS["cell"], lw=2)[0]
    curve.axhline(0.5, color="0.5", ls=":", lw=1)
    fig.half_life["hl_line"] = curve.axvline(1.0, color=GATE_COLORS["forget"], ls="--", lw=1.4)
    fig.half_life["hl_point"] = curve.plot([1.0], [0.5], "o", color=GATE_COLORS["forget"], ms=6)[0]
    fig.half_life["hl_label"] = curve.text(1.0, 0.5, "", fontsize=9, color=GATE_COLORS["forget"])
    curve.set(xlim=(0.9, 1.1 * r["t"][-1]), ylim=(0, 1.05), xlabel="steps t (log scale)",
              ylabel="part left: f to the power t", xticks=[1, 10, 100, 1000], xticklabels=["1", "10", "100", "1000"])
    curve.xaxis.set_minor_locator(NullLocator())  # the log axis's 30 minor ticks would double the drawing time
    half_life_update(fig, r)
    return fig


def half_life_update(fig, r):
    """Set the plates, their labels, the title, the curve and the half-life marks of a `half_life_draw` figure to
    show `r`; return those artists, in drawing order (the same list every time).

    Returns None (draw anew) if `r` has another number of plates or steps than the figure (other axis limits).
    """
    part = fig.half_life
    curve = part["curve"]
    n = len(r["plate_steps"])
    if len(part["plate_labels"]) != n or not np.array_equal(curve.get_xdata(), r["t"]):
        return None  # another number of plates, or of steps: the axis limits would change
    seen = r["plate_left"] >= 1e-4  # a smaller plate would still draw its rim: leave it out
    part["plates"].set_offsets(np.column_stack([np.arange(n)[seen], np.full(seen.sum(), 0.3)]))
    part["plates"].set_sizes(900 * r["plate_left"][seen])
    for label, s, left in zip(part["plate_labels"], r["plate_steps"], r["plate_left"]):
        label.set_text(f"after {s} step{'' if s == 1 else 's'}\n{_percent(left)} left")
    part["title"].set_text(f"forget gate f = {r['f']:.3f}: half a plate is left after {r['half_life']:.1f} steps")
    curve.set_data(r["t"], r["left"])
    hl = r["half_life"]
    part["hl_line"].set_xdata([hl, hl])
    part["hl_point"].set_data([hl], [0.5])
    right = hl < 100  # the label goes where the curve is not: above the line after hl, or below it before
    label = part["hl_label"]
    label.set_text(f"half-life = ln 0.5 / ln f\n= {hl:.1f} steps")
    label.set_position((hl * (1.15 if right else 1 / 1.15), 0.56 if right else 0.44))
    label.set_horizontalalignment("left" if right else "right")
    label.set_verticalalignment("bottom" if right else "top")
    return [part["plates"], *part["plate_labels"], curve, part["hl_line"], part["hl_point"], part["hl_label"],
            part["title"]]


def _percent(left):
    return f"{100 * left:.3g}%" if left >= 1e-4 else "< 0.01%"


def half_life_alt(r):
    """The alt text of the half-life picture: what the result `r` of `half_life_compute` shows, in words (what is
    left after 100 steps is the plate the picture draws there)."""
    if r["f"] == 1:
        return ("With the forget gate at 1.000 the plate is never halved: after 100 steps all of it is left. The "
                "curve of what is left stays at 1 and never crosses one half.")
    left = r["plate_left"][list(r["plate_steps"]).index(100)]
    return (f"With the forget gate at {r['f']:.3f}, half of a plate is left after {r['half_life']:.1f} steps; after "
            f"100 steps {_percent(left)} of it is left. The curve of what is left falls from 1 and crosses one half "
            "at the marked half-life.")


def _half_life_controls():
    """The live picture's slider: any forget gate from 0.5 to 0.999, redrawn when it is let go."""
    return {"forget": widgets.FloatSlider(value=0.9, min=0.5, max=0.999, step=0.001, readout_format=".3f",
                                          description="forget gate f", continuous_update=False)}


# The half-life of a plate (static: eight forget gates from 0.5 to 0.999; live: any between), redrawn in place
HALF_LIFE = SliderPicture(
    half_life_compute, half_life_draw, half_life_alt, update=half_life_update, grid={"forget": list(FORGET_VALUES)},
    start={"forget": 0.9}, descriptions={"forget": "forget gate f"}, label_format="{:.3f}",
    controls=_half_life_controls,
)


# The exercises of the chapter

PLATE_GATES = ("input", "forget", "output")
PLATE_DISHES = np.array([0.4, -0.6, 0.9, 0.8, -0.5, 0.7, 0.3, -0.9, 0.6, -0.2, 0.5])[:, None]  # (11, 1)


def plate_cell():
    """One memory cell whose candidate is g = tanh(1.5 x); the gates are forced by the reader."""
    w_ih = np.zeros((4, 1))
    w_ih[2] = 1.5  # PyTorch's block order i, f, g, o: only the candidate reads the input
    return LSTMCell.from_torch(w_ih, np.zeros((4, 1)), np.zeros(4), np.zeros(4))


def plate_gates(answer):
    """The gates of a sushi-train-2 answer by name: dict input/forget/output -> 11 values each (AnswerError else)."""
    return entries(answer, PLATE_GATES, each=lambda v: numbers(v, shape=(len(PLATE_DISHES),)))


def plate_run(answer):
    """Run plate_cell over PLATE_DISHES with the gates of `answer` (dict input/forget/output -> 11 values)."""
    return plate_cell().forward(PLATE_DISHES, **{k: v[:, None] for k, v in plate_gates(answer).items()})  # (11, 1)


@exercise("sushi-train-1", wrong=0.95)
def _half_life_20(answer):
    f = number(answer)
    if not 0 < f < 1:
        return Verdict(False, f"A forget gate that lets a plate fade lies strictly between 0 and 1; {shown(f)} came.")
    steps = half_life(f)
    if abs(steps - 20) <= 0.5:
        return Verdict(True, f"f = {f:.4f} halves a plate every {steps:.1f} steps.")
    return Verdict(False, f"f = {shown(f)} gives a half-life of {shown(steps, 3)} steps, not 20. Hint: after 20 steps, "
                          "f to the power 20 must be 0.5, so f = `0.5 ** (1 / 20)`.")


@exercise("sushi-train-2", wrong={"input": np.ones(11), "forget": np.ones(11), "output": np.ones(11)})
def _plate_at_3_seen_at_10(answer):
    gates = plate_gates(answer)
    if why := gates_out_of_range(gates):
        return Verdict(False, why)
    trace = plate_run(gates)
    i, f, o = gates["input"], gates["forget"], gates["output"]
    c, h, g = trace.c[:, 0], trace.h[:, 0], trace.candidate[:, 0]
    if not np.isclose(c[3], g[3], rtol=0, atol=1e-9):
        if i[3] != 1:
            part = "none" if i[3] == 0 else shown(i[3] * g[3], 3)
            return Verdict(False, f"At step 3 the input gate is {shown(i[3])}, so {part} of the plate {g[3]:.3f} goes "
                                  "on the belt. Hint: at step 3 write it in full (input 1).")
        return Verdict(False, f"At step 3 the plate {g[3]:.3f} goes on in full, but the belt still carries "
                              f"{shown(c[3] - g[3], 3)} from before (forget {shown(f[3])} at step 3 keeps that much of "
                              f"{shown(c[2], 3)}). Hint: put it on an empty belt (forget 0 at step 3, or nothing "
                              "written before).")
    if not np.isclose(c[10], g[3], rtol=0, atol=1e-9):
        k = next((k for k in range(4, 11) if f[k] != 1 or i[k] != 0), None)
        why = ("" if k is None else f": at step {k} the forget gate is {shown(f[k])}" if f[k] != 1 else
               f": at step {k} the input gate is {shown(i[k])}, which writes {shown(i[k] * g[k], 3)}")
        held, plate = shown_apart(c[10], g[3], 3)
        return Verdict(False, f"At step 10 the belt holds {held}, not the plate of step 3 ({plate})"
                              f"{why}. Hint: from step 4 to step 10, write nothing (input 0) and keep everything "
                              "(forget 1).")
    seen = np.flatnonzero(np.abs(h[:10]) > 1e-9)
    if seen.size:
        s = seen[0]
        return Verdict(False, f"The diner already sees something at step {s}: the output gate is {shown(o[s])} there, "
                              f"so h = {shown(h[s], 3)}. Hint: keep the output gate at 0 until step 10.")
    if not np.isclose(h[10], np.tanh(g[3]), rtol=0, atol=1e-9):
        seen, full = shown_apart(h[10], np.tanh(g[3]), 3)
        return Verdict(False, f"At step 10 the output gate is {shown(o[10])}, so the diner sees h = {seen}; in full it "
                              f"would be tanh({g[3]:.3f}) = {full}. Hint: open the output gate fully (1) at step 10.")
    return Verdict(True, f"The plate {g[3]:.3f} goes on at step 3, rides untouched to step 10, and only then does the "
                         f"diner see it, as h = tanh({g[3]:.3f}) = {h[10]:.3f}.")


@exercise("sushi-train-3", wrong=0.5)
def _output_for_half(answer):
    o = number(answer)
    if not 0 <= o <= 1:
        return Verdict(False, f"An output gate lies between 0 and 1; {shown(o)} came.")
    h = o * np.tanh(1.0)
    if abs(h - 0.5) <= 0.005:
        return Verdict(True, f"o = {o:.3f} shows h = {o:.3f} · tanh(1) = {h:.3f}.")
    if abs(o - 0.5) <= 0.005:
        return Verdict(False, "That would be right if the diner saw o · c. The diner sees o · tanh(c), and "
                              f"tanh(1) = {np.tanh(1.0):.3f}, so o = 0.5 shows only {h:.3f}.")
    if abs(o - 0.5 * np.tanh(1.0)) <= 0.005:
        return Verdict(False, f"o = {o:.3f} is 0.5 · tanh(1): it shows h = {h:.3f}. The diner sees o · tanh(1), so "
                              "solve o · tanh(1) = 0.5 for o: divide by tanh(1), do not multiply.")
    return Verdict(False, f"o = {o:.3f} shows h = {o:.3f} · tanh(1) = {h:.3f}, not 0.5. "
                          "Hint: solve o · tanh(1) = 0.5 for o.")
