"""Chapter 5, the gate pictures: a small LSTMCell (1 input, 3 memory cells) over a short sequence, with any gate (and
the candidate) forced by hand or left computed (`gates_compute` / `gates_draw` / `gates_alt`, and `candidate_draw` /
`candidate_alt` for the candidate and the output gate): the slider pictures GATES (a static twin over the input and
forget gates, and live, every part forced or not) and CANDIDATE (a static twin over the candidate and the output gate).
"""

import ipywidgets as widgets
import numpy as np

from lstm_lite import LSTMCell

from ..checks import check_size
from ..figures import GATE_COLORS, OKABE_ITO, fixed_figure
from ..sliders import PixelCache, SliderPicture

DEMO_SEED = 1  # a seed whose memory cell 1 writes with the sign of the input: easy to follow by eye
DEMO_C0 = np.array([0.8, -0.5, 0.3])  # the belt already carries something at the start, so keeping shows
GATE_CHOICES = (None, 0.0, 0.5, 1.0)  # None = computed by the cell; the numbers force the gate
INPUT_CHOICES = GATE_CHOICES  # the input gate has the forget gate's choices: 4 x 4 frames in the first picture
CANDIDATE_CHOICES = (None, -1.0, 0.0, 1.0)  # the candidate is a tanh: down, nothing, up
OUTPUT_CHOICES = (None, 0.0, 1.0)  # shown, or not: 4 x 3 frames in the second picture keep the page under 3 MB
C_LIMIT = 5.5  # the cell-state axis of every frame: covers every choice of the sliders
CANDIDATE_C_LIMIT = 3.0  # ... and of every frame of the candidate picture (input and forget computed: c stays lower)
CELL_STYLES = (("-", "o"), ("--", "s"), (":", "^"))  # one line style per memory cell, colours stay for the parts


def gate_demo_cell(seed=DEMO_SEED):
    """The small LSTM of chapter 5: 1 input, 3 memory cells, seeded weights scaled up so the gates move."""
    cell = LSTMCell(1, 3, seed=seed)
    cell.weight_ih = cell.weight_ih * 4.0  # PyTorch-sized weights give gates that hardly move; x4 makes them react
    cell.weight_hh = cell.weight_hh * 2.0  # ... and the past (through h) a smaller say than the input
    return cell


def gate_demo_inputs(steps=12):
    """The input sequence of chapter 5: a few pulses up and down, shape (steps, 1).

    A shorter sequence is the start of the longer one: the pulses after its end are left out."""
    steps = check_size("steps", steps)
    xs = np.zeros((max(steps, 9), 1))
    xs[[1, 2], 0] = 1.0
    xs[5, 0] = -1.0
    xs[8, 0] = 0.7
    return xs[:steps]


def gates_compute(input=None, forget=None, output=None, candidate=None, cell=None, xs=None, c0=None):
    """Run the chapter-5 cell with any gate (and the candidate) forced by hand or computed (None).

    Parameters
    ----------
    input, forget, output : None (computed by the cell) or a number in [0, 1] (forced at every step and cell)
    candidate : None (computed) or a number in [-1, 1] (a tanh's range), forced at every step and cell
    cell : LSTMCell, default `gate_demo_cell()`
    xs : array, shape (T, D), default `gate_demo_inputs()` (T = 12, D = 1)
    c0 : array, shape (H,), the belt at the start; default DEMO_C0 for the demo cell, zeros for another cell

    Returns
    -------
    LSTMTrace with h, c and the four gates, each of shape (T, H)
    """
    if c0 is None and cell is None:
        c0 = DEMO_C0
    cell = gate_demo_cell() if cell is None else cell
    xs = gate_demo_inputs() if xs is None else xs
    return cell.forward(xs, c0=c0, input=input, forget=forget, output=output, candidate=candidate)


def _forced_word(trace, name):
    if name not in trace.forced:
        return "computed"
    return f"forced to {float(getattr(trace, name).flat[0]):g}"


GATE_NAMES = (("input", "i"), ("forget", "f"), ("candidate", "g"), ("output", "o"))  # PyTorch's order, as everywhere


def _gate_style(k, forced):
    """(line style, line width) of gate k in the gates panel, and the line style of its legend entry."""
    # forced gates are flat lines that may lie on top of each other: dashes with shifted phases interleave
    if forced:
        return (3 * k, (3, 6)), 2.6, (0, (3, 1.5))
    return "-", 1.8, "-"


def _c_axis_limit(trace, c_limit):
    """The half-height of the cell-state axis: c_limit, or a whole multiple of it when the belt goes further (never
    clipped). In whole multiples, a live slider moved while the belt runs high keeps the axis, so the picture is
    redrawn in place rather than built anew (~12 ms against ~100)."""
    return c_limit * max(1.0, np.ceil((np.ceil(np.abs(trace.c).max()) + 0.5) / c_limit))


def _suptitle(trace):
    return ", ".join(f"{name} {_forced_word(trace, name)}" for name, _ in GATE_NAMES)


def gates_draw(trace, unit=0, c_limit=C_LIMIT):
    """The input, the four gates of one memory cell, and the cell state c and hidden state h of every cell.

    Parameters
    ----------
    trace : LSTMTrace of one sequence, arrays of shape (T, H) with H <= 3
    unit : int, the memory cell whose gates are drawn
    c_limit : float, the cell-state axis runs from -c_limit to c_limit (fixed, so that frames compare), or wider
        when the belt goes further (never clipped: how far c goes is the point of that panel)

    The figure remembers what it was drawn with (`fig.gates_drawn`), so that `gates_update` can redraw it in place.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = fixed_figure(7.8, 4.4)  # fixed margins: any layout engine costs a second draw on every frame
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 3.4], left=0.09, right=0.985, top=0.9, bottom=0.2,
                            wspace=0.22, hspace=0.28)
    top = fig.add_subplot(grid[0, :])
    axes = [fig.add_subplot(grid[1, k], sharex=top) for k in range(3)]
    T, H = trace.h.shape
    t = np.arange(T)
    c_axis = _c_axis_limit(trace, c_limit)

    top.bar(t, trace.x[:, 0], width=0.5, color="0.45")
    top.axhline(0, color="0.7", lw=0.6)
    top.set(ylabel="input x_t", ylim=(-1.3, 1.3), yticks=[-1, 0, 1])
    top.tick_params(labelbottom=False)

    ax = axes[0]
    handles, gate_lines = [], []
    for k, (name, letter) in enumerate(GATE_NAMES):
        forced = name in trace.forced
        style, width, legend_style = _gate_style(k, forced)
        gate_lines += ax.plot(t, getattr(trace, name)[:, unit], ls=style, color=GATE_COLORS[name], lw=width)
        handles.append(Line2D([], [], ls=legend_style, lw=2, color=GATE_COLORS[name],
                              label=f"{letter}: {name}" + (" (forced)" if forced else "")))
    zero_lines = [ax.axhline(0, color="0.7", lw=0.6)]
    ax.set(ylim=(-1.1, 1.1), ylabel="gate value")
    ax.set_title(f"gates of memory cell {unit + 1}", fontsize=10)

    state_lines = {}
    for ax, name, title, limit in ((axes[1], "c", "cell state c (the belt)", c_axis),
                                   (axes[2], "h", "hidden state h = o·tanh(c)", 1.1)):
        color = GATE_COLORS["cell" if name == "c" else "hidden"]
        state_lines[name] = []
        for k in range(H):
            style, marker = CELL_STYLES[k]
            state_lines[name] += ax.plot(t, getattr(trace, name)[:, k], style, marker=marker, ms=3.5,
                                         lw=2.2 if k == unit else 1.3, color=color)
        ax.set_ylim(-limit, limit)
        ax.set_title(title, fontsize=10)
        zero_lines.append(ax.axhline(0, color="0.7", lw=0.6))
    band = axes[1].axhspan(-1, 1, color=OKABE_ITO["sky blue"], alpha=0.2, lw=0)
    for k in range(H):
        style, marker = CELL_STYLES[k]
        handles.append(Line2D([], [], ls=style, marker=marker, ms=3.5, color="0.3", label=f"memory cell {k + 1}"))
    handles.append(Patch(color=band.get_facecolor(), label="-1 to 1: the range of h and g"))
    for ax in axes:
        ax.set_xlabel("time step t", fontsize=9, labelpad=1)
        ax.set_xticks(range(0, T, 2))
    legend = fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=9, frameon=False, handlelength=2.4,
                        columnspacing=1.2)
    title = fig.suptitle(_suptitle(trace), fontsize=11)
    fig.gates_drawn = {  # what gates_update needs: the settings, what may not change, and the artists to set
        "unit": unit, "c_limit": c_limit, "c_axis": c_axis, "shape": (T, H), "x": np.array(trace.x, copy=True),
        "gate_lines": gate_lines, "c_lines": state_lines["c"], "h_lines": state_lines["h"],
        "zero_lines": zero_lines, "suptitle": title, "legend": legend,
    }
    return fig


def gates_update(fig, trace):
    """Redraw a figure of `gates_draw` in place to show `trace` (the `update` of `lstm_book.sliders.FastFigure`).

    Sets the gate lines (values; dashes and width when a gate is forced), the lines of c and h, the legend (it says
    which gates are forced) and the suptitle, and returns them in the order a full draw paints them, the same list
    every call. The list also holds what a full draw paints over the curves, so that it stays on top: the grey zero
    line of each lower panel and the side spines that end it (these do not change). The legend comes as a
    `lstm_book.sliders.PixelCache`, which pastes back the pixels of a wording already drawn.

    Returns None when the figure must be built anew: the cell-state axis would need other limits (gates_draw widens
    it rather than clip), or the trace has another shape or another input.
    """
    drawn = fig.gates_drawn
    if (trace.h.shape != drawn["shape"] or not np.array_equal(trace.x, drawn["x"])
            or _c_axis_limit(trace, drawn["c_limit"]) != drawn["c_axis"]):
        return None
    unit, legend = drawn["unit"], drawn["legend"]
    for k, ((name, letter), line) in enumerate(zip(GATE_NAMES, drawn["gate_lines"])):
        forced = name in trace.forced
        style, width, legend_style = _gate_style(k, forced)
        line.set_ydata(getattr(trace, name)[:, unit])
        line.set_linestyle(style)
        line.set_linewidth(width)
        legend.legend_handles[k].set_linestyle(legend_style)
        legend.texts[k].set_text(f"{letter}: {name}" + (" (forced)" if forced else ""))
    for k, line in enumerate(drawn["c_lines"]):
        line.set_ydata(trace.c[:, k])
    for k, line in enumerate(drawn["h_lines"]):
        line.set_ydata(trace.h[:, k])
    drawn["suptitle"].set_text(_suptitle(trace))
    artists = []
    for curves, zero in zip((drawn["gate_lines"], drawn["c_lines"], drawn["h_lines"]), drawn["zero_lines"]):
        spines = zero.axes.spines
        artists += [*curves, zero, spines["left"], spines["right"]]  # the spines end the zero line: on top too
    if "legend_pixels" not in drawn:
        drawn["legend_pixels"] = PixelCache(legend, lambda: tuple(text.get_text() for text in legend.texts))
    return [*artists, drawn["suptitle"], drawn["legend_pixels"]]


def _say(trace, name):
    """How the picture of `trace` got its part `name`, in words: computed by the cell, or forced to a value."""
    word = f"the {name}{' gate' * (name != 'candidate')}"
    return f"{word} computed by the cell" if name not in trace.forced else f"{word} {_forced_word(trace, name)}"


def gates_alt(trace):
    """Alt text of a picture of `gates_draw`: what the trace it draws shows, in words."""
    return (f"Input pulses, the gates of memory cell 1, and the cell and hidden states of three memory cells over "
            f"{trace.h.shape[0]} steps, with {_say(trace, 'input')}, {_say(trace, 'forget')}, "
            f"{_say(trace, 'candidate')} and {_say(trace, 'output')}. At the last step memory cell 1 holds "
            f"c = {trace.c[-1, 0]:.2f} and h = {trace.h[-1, 0]:.2f}.")


def candidate_draw(trace, unit=0, c_limit=CANDIDATE_C_LIMIT):
    """A lighter picture for the candidate and the output gate: the four gates of one memory cell (a forced one
    dashed) and that memory cell's belt c and hidden state h, over the steps of `trace` (shape (T, H))."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = fixed_figure(7.8, 3.3)
    gates_ax, state_ax = fig.subplots(1, 2, gridspec_kw=dict(left=0.08, right=0.985, top=0.84, bottom=0.29,
                                                             wspace=0.16))
    T = trace.h.shape[0]
    t = np.arange(T)
    handles = []
    for k, (name, letter) in enumerate(GATE_NAMES):
        forced = name in trace.forced
        style, width, legend_style = _gate_style(k, forced)
        gates_ax.plot(t, getattr(trace, name)[:, unit], ls=style, color=GATE_COLORS[name], lw=width)
        handles.append(Line2D([], [], ls=legend_style, lw=2, color=GATE_COLORS[name],
                              label=f"{letter}: {name}" + (" (forced)" if forced else "")))
    gates_ax.set(ylim=(-1.1, 1.1), ylabel="gate value")
    gates_ax.set_title(f"gates of memory cell {unit + 1}", fontsize=10)
    c_axis = _c_axis_limit(trace, c_limit)
    band = state_ax.axhspan(-1, 1, color=OKABE_ITO["sky blue"], alpha=0.2, lw=0)
    for name, style, marker, label in (("c", "-", "o", "c: the belt"), ("h", "--", "s", "h = o·tanh(c)")):
        color = GATE_COLORS["cell" if name == "c" else "hidden"]
        state_ax.plot(t, getattr(trace, name)[:, unit], style, marker=marker, ms=3.5, lw=2, color=color)
        handles.append(Line2D([], [], ls=style, marker=marker, ms=3.5, lw=2, color=color, label=label))
    handles.append(Patch(color=band.get_facecolor(), label="-1 to 1"))
    state_ax.set_ylim(-c_axis, c_axis)
    state_ax.set_title(f"memory cell {unit + 1}: the belt c and h", fontsize=10)
    for ax in (gates_ax, state_ax):
        ax.axhline(0, color="0.7", lw=0.6)
        ax.set_xlabel("time step t", fontsize=9, labelpad=1)
        ax.set_xticks(range(0, T, 2))
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=9, frameon=False, handlelength=2.4,
               columnspacing=1.2)
    fig.suptitle(f"candidate {_forced_word(trace, 'candidate')}, output gate {_forced_word(trace, 'output')}",
                 fontsize=11)
    return fig


def candidate_alt(trace):
    """Alt text of a picture of `candidate_draw`: what the trace it draws shows, in words."""
    return (f"The gates of memory cell 1 and its cell state c and hidden state h over {trace.h.shape[0]} steps, with "
            f"{_say(trace, 'candidate')} and {_say(trace, 'output')} (the input and forget gates computed). "
            f"At the last step memory cell 1 holds c = {trace.c[-1, 0]:.2f} and h = {trace.h[-1, 0]:.2f}.")


def _gates_controls():
    """The live picture's controls: for each gate and the candidate a slider and a box that says 'force it'. A
    slider whose part is not forced is greyed out (disabled), and its tooltip says why: the cell computes that part,
    so moving it would change nothing."""
    controls = {}
    for name in ("input", "forget", "output", "candidate"):
        word = name if name == "candidate" else f"{name} gate"  # the candidate is a tanh, from -1 to 1
        # redrawn in place (gates_update) in ~20 ms: fast enough to follow the mouse
        slider = widgets.FloatSlider(value=1.0, min=-1.0 if name == "candidate" else 0.0, max=1.0,
                                     step=0.05, description=word, continuous_update=True)
        box = widgets.Checkbox(value=False, description=f"force the {word}")

        def idle(change, slider=slider, word=word):
            slider.disabled = not change["new"]
            slider.tooltip = (f"the {word} is set by this slider" if change["new"] else
                              f"idle: the cell computes the {word}; tick 'force the {word}' to set it by hand")

        box.observe(idle, names="value")
        idle({"new": box.value})
        controls[name], controls[f"force_{name}"] = slider, box
    return controls


def _chosen(force_input, force_forget, force_output, force_candidate, **values):
    """The value of each part the reader forces, None (computed) for the others."""
    forced = {"input": force_input, "forget": force_forget, "output": force_output, "candidate": force_candidate}
    return {name: value if forced[name] else None for name, value in values.items()}


# The input and forget gates (static: 4 x 4 frames, the rest computed; live: any part forced to any value)
GATES = SliderPicture(
    gates_compute, gates_draw, gates_alt, update=gates_update,
    grid={"input": list(INPUT_CHOICES), "forget": list(GATE_CHOICES)},
    descriptions={"input": "input gate i", "forget": "forget gate f"}, controls=_gates_controls, choose=_chosen,
)
# The candidate and the output gate (static only: 4 x 3 frames, the input and forget gates computed)
CANDIDATE = SliderPicture(
    gates_compute, candidate_draw, candidate_alt,
    grid={"candidate": list(CANDIDATE_CHOICES), "output": list(OUTPUT_CHOICES)},
    descriptions={"candidate": "candidate g", "output": "output gate o"},
)
