"""Chapter 5: the LSTM's gates.

The pictures:

* the cell as a diagram (`lstm_diagram`), its four parts named as in the code: forget gate f, input gate i,
  candidate g (a tanh), output gate o; and one step walked through on it, part by part, with the numbers of
  memory cell 1 of the small cell below on the wires (`walk_values`, `walk_draw`, `walk_static`);
* a small LSTMCell (1 input, 3 memory cells) over a short sequence, with any gate (and the candidate) forced by
  hand or left computed (`gates_compute` / `gates_draw`, and `candidate_draw` for the candidate and the output
  gate), as static twins for the website (`gates_static`) and live (`gates_live`);
* the country story (`country_cell`, `country_sentence`, `country_draw`): an LSTM with hand-set weights that
  forgets the old country exactly when a new one appears, so the language it points to at "speak" changes too.

References: Olah, "Understanding LSTM Networks" (2015) for the drawing; Gers et al. (2000) for the forget gate.

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import textwrap

import numpy as np

from lstm_lite import LSTMCell

from .checks import check_index, check_number, check_numbers, check_seed, check_size, check_words
from .exercises import (
    AnswerError,
    Verdict,
    code,
    described,
    entries,
    exercise,
    gates_out_of_range,
    key_code,
    number,
    shown,
)
from .figures import GATE_COLORS, OKABE_ITO, fixed_figure, new_figure

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
        from .sliders import PixelCache  # ipywidgets only when a live picture redraws

        drawn["legend_pixels"] = PixelCache(legend, lambda: tuple(text.get_text() for text in legend.texts))
    return [*artists, drawn["suptitle"], drawn["legend_pixels"]]


def _say(name, value):
    if value is None:
        return f"the {name}{' gate' * (name != 'candidate')} computed by the cell"
    return f"the {name}{' gate' * (name != 'candidate')} forced to {value:g}"


def gates_alt(input=None, forget=None, output=None, candidate=None):
    """Alt text of one frame of the first gate picture (`gates_draw`), in words."""
    trace = gates_compute(input=input, forget=forget, output=output, candidate=candidate)
    return (f"Input pulses, the gates of memory cell 1, and the cell and hidden states of three memory cells over "
            f"12 steps, with {_say('input', input)}, {_say('forget', forget)}, {_say('candidate', candidate)} and "
            f"{_say('output', output)}. At the last step memory cell 1 holds c = {trace.c[-1, 0]:.2f} and "
            f"h = {trace.h[-1, 0]:.2f}.")


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


def candidate_alt(candidate=None, output=None):
    """Alt text of one frame of the candidate picture (`candidate_draw`), in words."""
    trace = gates_compute(candidate=candidate, output=output)
    return (f"The gates of memory cell 1 and its cell state c and hidden state h over 12 steps, with "
            f"{_say('candidate', candidate)} and {_say('output', output)} (the input and forget gates computed). "
            f"At the last step memory cell 1 holds c = {trace.c[-1, 0]:.2f} and h = {trace.h[-1, 0]:.2f}.")


def gates_static(link=None, choices=GATE_CHOICES, candidate_choices=CANDIDATE_CHOICES, output_choices=OUTPUT_CHOICES,
                 note=True):
    """The two static twins of chapter 5: input x forget (the rest computed), then candidate x output.

    link : widgets.jslink (default, for the website) or widgets.link (for tests in Python).
    choices : the values of the input and forget sliders (None = computed); candidate_choices, output_choices : of
    the candidate's and the output gate's. note : put the note that the pictures were drawn in advance under the
    first (False: the page said it already). Returns (gates, candidate), two lstm_book.sliders.StaticFigure, with
    4 x 4 and 4 x 3 frames by default.
    """
    from .sliders import static_grid

    gates = static_grid(
        lambda input, forget: gates_draw(gates_compute(input=input, forget=forget)),
        {"input": list(choices), "forget": list(choices)},
        alt=lambda input, forget: gates_alt(input=input, forget=forget),
        descriptions={"input": "input gate i", "forget": "forget gate f"}, link=link, note=note,
    )
    candidate = static_grid(
        lambda candidate, output: candidate_draw(gates_compute(candidate=candidate, output=output)),
        {"candidate": list(candidate_choices), "output": list(output_choices)},
        alt=lambda candidate, output: candidate_alt(candidate=candidate, output=output),
        descriptions={"candidate": "candidate g", "output": "output gate o"}, link=link, note=False,
    )
    return gates, candidate


def gates_live():
    """The live version (a running kernel only): for each gate and the candidate a slider and a box that says
    'force it'. A slider whose part is not forced is greyed out (disabled), and its tooltip says why: the cell
    computes that part, so moving it would change nothing."""
    import ipywidgets as widgets

    from .sliders import live_plot

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

    def chosen(force_input, force_forget, force_output, force_candidate, **values):
        """The value of each part the reader forces, None (computed) for the others."""
        forced = {"input": force_input, "forget": force_forget, "output": force_output, "candidate": force_candidate}
        return {name: value if forced[name] else None for name, value in values.items()}

    return live_plot(lambda **v: gates_compute(**chosen(**v)), gates_draw, controls, update=gates_update,
                     alt=lambda **v: gates_alt(**chosen(**v)))


WALK_STAGES = (  # (label on the slider, the parts lit, the title of the frame)
    ("0 the cell", None, "One step of an LSTM cell: the belt c on top, the four parts below"),
    ("1 inputs", {"x", "h_prev", "c_prev", "bus"}, "1. The inputs arrive"),
    ("2 forget gate", {"forget"}, "2. The forget gate"),
    ("3 input, candidate", {"input", "candidate"}, "3. The input gate and the candidate"),
    ("4 keep", {"keep"}, "4. The belt is multiplied: keep f · c"),
    ("5 write", {"write"}, "5. The belt is added to: write i · g"),
    ("6 output gate", {"output"}, "6. The output gate"),
    ("7 hidden state", {"hidden"}, "7. What the cell shows: h = o · tanh(c)"),
)
WALK_UNIT = 0  # the walk-through follows memory cell 1 ...
# ... at the first step of the chapter's run, so that its numbers are those of the chapter's hand computation
WALK_SHOWN_FROM = {"c_prev": 1, "x": 1, "h_prev": 1, "f": 2, "i": 3, "g": 3, "kept": 4, "written": 5, "c": 5,
                   "o": 6, "tanh_c": 7, "h": 7}  # the stage at which each number appears on its wire
GREY = "0.78"  # the parts not lit in a stage


def walk_values(cell=None, x=None, c_prev=None, unit=WALK_UNIT):
    """The numbers of one step of one memory cell, as `LSTMCell.step` computes them, by name.

    Defaults: the chapter's demo cell at its first step (`gate_demo_inputs()[0]`, h = 0, c = DEMO_C0), memory
    cell 1. Returns a dict of floats: x (the input, D = 1), c_prev, f, i, g, o, kept = f * c_prev,
    written = i * g, c, tanh_c, h; and h_prev, the whole previous hidden state (H,) that every gate reads.
    """
    cell = gate_demo_cell() if cell is None else cell
    if not isinstance(cell, LSTMCell):
        raise TypeError(f"cell must be an lstm_lite LSTMCell, got {type(cell).__name__}")
    unit = check_index("unit", unit, cell.hidden_size, f"one of the cell's {cell.hidden_size} memory cells")
    x = gate_demo_inputs()[0] if x is None else np.atleast_1d(check_numbers("x", x))
    c_prev = DEMO_C0 if c_prev is None else np.atleast_1d(check_numbers("c_prev", c_prev))
    for name, value, size in (("x", x, cell.input_size), ("c_prev", c_prev, cell.hidden_size)):
        if value.shape != (size,):
            raise ValueError(f"{name} must have shape ({size},) for this cell, got shape {value.shape}")
    h_prev = np.zeros(cell.hidden_size)
    one = cell.step(x, h=h_prev, c=c_prev)
    f, i, g, o = (float(getattr(one, name)[unit]) for name in ("forget", "input", "candidate", "output"))
    c_before = float(c_prev[unit])
    return {"x": float(x[0]), "h_prev": h_prev, "c_prev": c_before, "f": f, "i": i, "g": g, "o": o,
            "kept": f * c_before, "written": i * g, "c": float(one.c[unit]), "tanh_c": float(np.tanh(one.c[unit])),
            "h": float(one.h[unit])}


def walk_sentence(stage, v=None):
    """One sentence that says what stage `stage` (0 to 7) of the walk-through shows, with its numbers."""
    v = walk_values() if v is None else v
    h_prev = ", ".join(f"{a:.2f}" for a in v["h_prev"])

    def n(key):  # a factor, in brackets when negative: 0.34 × (-0.59)
        return f"({v[key]:.2f})" if v[key] < 0 else f"{v[key]:.2f}"

    plus = f"{'-' if v['written'] < 0 else '+'} {abs(v['written']):.2f}"
    return (
        "The whole cell: move the slider to walk through one step of memory cell 1, part by part.",
        f"The belt brings c = {v['c_prev']:.2f} from the step before; the input x = {v['x']:.2f} and the previous "
        f"hidden state h = ({h_prev}) reach all four parts.",
        f"The forget gate reads them and gives f = {v['f']:.2f}: keep {v['f']:.0%} of the belt.",
        f"The input gate gives i = {v['i']:.2f}, how much to write, and the candidate g = {v['g']:.2f}, what to write.",
        f"The belt is multiplied by f: {n('f')} × {n('c_prev')} = {v['kept']:.2f} is kept.",
        f"i × g = {n('i')} × {n('g')} = {v['written']:.2f} is added: c = {v['kept']:.2f} {plus} = {v['c']:.2f}, "
        "the new belt.",
        f"The output gate gives o = {v['o']:.2f}: how much of the belt to show.",
        f"h = o × tanh(c) = {n('o')} × {n('tanh_c')} = {v['h']:.2f}, what the next step and the next layer read.",
    )[stage]


def walk_alt(stage, v=None):
    """Alt text of one frame of the walk-through: the diagram, what is lit, and the stage's sentence."""
    label, lit, _ = WALK_STAGES[stage]
    if lit is None:
        return ("Diagram of one LSTM step. A thick line, the cell state, runs along the top from c t-1 on the left to "
                "c t on the right, through a multiply node and then an add node. Below, the previous hidden state "
                "h t-1 and the input x t join on one wire that feeds four boxes: the forget gate (sigmoid), the input "
                "gate (sigmoid), the candidate (tanh) and the output gate (sigmoid). The forget gate goes up into the "
                "multiply node on the belt; the input gate and the candidate meet in a multiply node whose result goes "
                "up into the add node. On the right, the new cell state goes through a tanh and is multiplied by the "
                "output gate to give the hidden state h t. " + walk_sentence(0, v))
    return (f"The same diagram of one LSTM step, part {stage} of 7 ({label[2:]}) lit and the other parts grey, with "
            f"the numbers of memory cell 1 at the first step written on the wires. " + walk_sentence(stage, v))


def walk_draw(stage, v=None):
    """Frame `stage` of the walk-through (0: the whole cell, no numbers; 1 to 7: one part lit, numbers so far),
    with the stage's sentence under the cell."""
    v = walk_values() if v is None else v
    return lstm_diagram(stage, v)


def walk_static(link=None, note=True):
    """The walk-through as a static twin: a slider 'step part' over the 8 frames of `walk_draw`."""
    from .sliders import static_slider

    v = walk_values()
    return static_slider(lambda stage: walk_draw(stage, v), list(range(len(WALK_STAGES))), description="step part",
                         alt=lambda stage: walk_alt(stage, v), labels=[s[0] for s in WALK_STAGES], link=link,
                         note=note)


def lstm_diagram(stage=None, values=None):
    """The LSTM cell as a diagram: the belt c on top, the four parts named as in the code, h at the bottom right.

    Everywhere else the gates come in PyTorch's order i, f, g, o; here they stand where they act on the belt, which
    reads left to right as c_t = f * c_{t-1} + i * g: first the forget gate multiplies it, then i * g is added.
    stage : None or 0 (the whole cell) or 1 to 7, a part of the step lit (WALK_STAGES) and the others grey, with
    `values` (from `walk_values`) written on the wires from the stage at which each appears, and the stage's
    sentence under the cell."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    stage = stage or 0
    _, lit_parts, title = WALK_STAGES[stage]
    walk = values is not None  # a frame of the walk-through: a line more for its sentence, the same in every frame
    walking = walk and stage > 0  # ... with numbers on the wires
    fig = fixed_figure(7.8, 5.1 if walk else 4.4)  # one axes filling the figure: nothing to lay out
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set(xlim=(0, 16), ylim=(-1.4 if walk else 0, 9))
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((2.0, 1.25), 11.2, 6.35, boxstyle="round,pad=0.1,rounding_size=0.4",
                                fc="#F4F4F4", ec="0.6", lw=1))

    def lit(part):
        return lit_parts is None or part in lit_parts

    def col(part, color="0.25"):
        return color if lit(part) else GREY

    def ink(part, color="black"):  # text stays readable when grey: a darker grey than the lines
        return color if lit(part) else "0.45"

    def arrow(a, b, part, color="0.25", lw=1.6):
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=12, color=col(part, color), lw=lw,
                                     shrinkA=0, shrinkB=0, zorder=2))

    def line(xs, ys, part, color="0.25", lw=1.6):
        ax.plot(xs, ys, color=col(part, color), lw=lw)

    def op(xy, text, part):
        ax.add_patch(Circle(xy, 0.36, fc="white", ec=col(part, "0.2"), lw=1.3, zorder=3))
        ax.text(*xy, text, ha="center", va="center", fontsize=13, zorder=4, fontweight="bold", color=ink(part))

    def box(x, y, name, fn, part):
        # a light fill and a strong edge: black text stays readable on every colour of the palette
        color = col(part, GATE_COLORS[part])
        ax.add_patch(FancyBboxPatch((x - 0.9, y - 0.55), 1.8, 1.1, boxstyle="round,pad=0.05", fc=to_rgba(color, 0.3),
                                    ec=color, lw=2.2, zorder=3))
        ax.text(x, y + 0.22, name, ha="center", va="center", fontsize=9, color=ink(part), zorder=4)
        ax.text(x, y - 0.22, fn, ha="center", va="center", fontsize=11, color=ink(part), fontweight="bold", zorder=4)

    def number(name, text=None):
        """' = value' of `name` for a label, from the stage at which it appears (else '')."""
        if not walking or stage < WALK_SHOWN_FROM[name]:
            return ""
        return text if text is not None else f" = {values[name]:.2f}"

    def value(xy, name, label, part, **kw):
        text = number(name)
        if text:
            now = WALK_SHOWN_FROM[name] == stage
            ax.text(*xy, label + text, fontsize=10 if now else 9, fontweight="bold" if now else "normal",
                    color="black" if now else "0.3", zorder=5, **kw)

    belt, gates_y, bus = 6.6, 3.3, 1.8
    xf, xi, xg, xo, xout = 3.6, 5.9, 8.2, 10.5, 12.2  # x of the four parts and of the output branch

    # the belt: c_{t-1} -> (x forget) -> (+ write) -> c_t
    arrow((0.3, belt), (xf - 0.36, belt), "c_prev", color="black", lw=2.6)
    op((xf, belt), "×", "keep")
    arrow((xf + 0.36, belt), (xg - 0.36, belt), "keep", color="black", lw=2.6)
    op((xg, belt), "+", "write")
    arrow((xg + 0.36, belt), (15.7, belt), "write", color="black", lw=2.6)
    ax.text(0.3, belt + 0.3, "cell state $c_{t-1}$" + number("c_prev"), fontsize=9, color=ink("c_prev"))
    ax.text(15.7, belt + 0.3, "cell state $c_t$", fontsize=9, ha="right", color=ink("write"))
    if walking:  # under the belt, clear of the cell's box
        value((15.7, belt - 0.5), "c", "$c_t$", "write", ha="right")
    if walking:
        value(((xf + xg) / 2, belt - 0.5), "kept", "f·c", "keep", ha="center")
    else:
        ax.text((xg + xout) / 2 + 0.5, belt + 0.3, "the belt", fontsize=9, color="0.3", ha="center")
    ax.text(xf + 0.15, 5.0, "keep f·c", fontsize=9, color=ink("keep"))

    # the inputs: h_{t-1} from the left and x_t from below meet on one bus that feeds all four parts
    line([0.3, xo], [bus, bus], "h_prev")
    ax.text(0.3, bus + 0.2, "hidden state $h_{t-1}$", fontsize=9, color=ink("h_prev"))
    if walking:  # below the bus, left of the input's wire: every memory cell's h, all read by every part
        ax.text(0.3, bus - 0.2, number("h_prev", "= (" + ", ".join(f"{a:.2g}" for a in values["h_prev"]) + ")"),
                fontsize=9, color=ink("h_prev"), va="top")
    line([2.6, 2.6], [0.35, bus], "x")
    ax.add_patch(Circle((2.6, bus), 0.07, color=col("x"), zorder=3))
    ax.text(2.8, 0.4, "input $x_t$" + number("x"), fontsize=9, color=ink("x"))
    for x in (xf, xi, xg, xo):
        arrow((x, bus), (x, gates_y - 0.6), "bus")
    box(xf, gates_y, "forget gate", "σ  →  f", "forget")
    box(xi, gates_y, "input gate", "σ  →  i", "input")
    box(xg, gates_y, "candidate", "tanh  →  g", "candidate")
    box(xo, gates_y, "output gate", "σ  →  o", "output")

    # forget: f multiplies the belt; input: i times g is added to it
    arrow((xf, gates_y + 0.6), (xf, belt - 0.36), "forget", color=GATE_COLORS["forget"], lw=2)
    write_y = 4.9
    op((xg, write_y), "×", "write")
    arrow((xg, gates_y + 0.6), (xg, write_y - 0.36), "candidate", color=GATE_COLORS["candidate"], lw=2)
    line([xi, xi], [gates_y + 0.6, write_y], "input", color=GATE_COLORS["input"], lw=2)
    arrow((xi, write_y), (xg - 0.36, write_y), "input", color=GATE_COLORS["input"], lw=2)
    arrow((xg, write_y + 0.36), (xg, belt - 0.36), "write")
    if walking:
        value((xf + 0.15, 4.1), "f", "f", "forget")
        value((xi + 0.15, 4.1), "i", "i", "input")
        value((xg + 0.15, 4.1), "g", "g", "candidate")
        value((xo + 0.15, 4.1), "o", "o", "output")
    if number("written"):
        value((xg + 0.15, 5.65), "written", "write i·g", "write")
    else:
        ax.text(xg + 0.15, 5.65, "write i·g", fontsize=9, color=ink("write"))

    # output: tanh(c_t) times o gives h_t
    line([xout, xout], [belt, 5.75], "hidden")
    ax.add_patch(Circle((xout, belt), 0.07, color=col("hidden", "black"), zorder=3))
    ax.add_patch(FancyBboxPatch((xout - 0.5, 4.95), 1.0, 0.6, boxstyle="round,pad=0.05", fc="white",
                                ec=col("hidden", "0.2"), lw=1.1, zorder=3))
    ax.text(xout, 5.25, "tanh", ha="center", va="center", fontsize=9, zorder=4, color=ink("hidden"))
    arrow((xout, 5.75), (xout, 5.6), "hidden")
    op((xout, gates_y), "×", "hidden")
    arrow((xout, 4.95), (xout, gates_y + 0.36), "hidden")
    arrow((xo + 0.95, gates_y), (xout - 0.36, gates_y), "output", color=GATE_COLORS["output"], lw=2)
    line([xout, xout], [gates_y - 0.36, 0.8], "hidden", color=GATE_COLORS["hidden"], lw=2.2)
    arrow((xout, 0.8), (15.7, 0.8), "hidden", color=GATE_COLORS["hidden"], lw=2.2)
    if walking:
        value((xout + 0.65, 5.1), "tanh_c", "tanh($c_t$)", "hidden")
    h_color = ink("hidden", GATE_COLORS["hidden"])
    ax.text(15.7, 0.95, "hidden state $h_t$", fontsize=9, color=h_color, ha="right", va="bottom")
    ax.text(15.7, 0.62, "= o · tanh($c_t$)" + number("h"), fontsize=9, color=h_color, ha="right", va="top")
    ax.text(8.0, 8.45, title, ha="center", fontsize=11)
    if walk:
        ax.text(8.0, -0.7, textwrap.fill(walk_sentence(stage, values), 96), ha="center", va="center", fontsize=10,
                linespacing=1.4)
    return fig


COUNTRY_SENTENCE = tuple("I grew up in France . I speak French . Then I moved to Spain . I speak Spanish".split())
COUNTRY_FEATURES = ("France", "Spain", "speak")  # one input feature per word that matters
LANGUAGES = ("French", "Spanish")  # memory cell k stands for country k, so it points to language k
TIE = "French or Spanish?"  # what the readout says when both memory cells show the same value


def country_sentence(words=COUNTRY_SENTENCE):
    """One-hot inputs (T, 3) for the words: feature 0 = 'France', 1 = 'Spain', 2 = 'speak'; other words are 0."""
    words = check_words("words", words)
    xs = np.zeros((len(words), len(COUNTRY_FEATURES)))
    for t, w in enumerate(words):
        if w in COUNTRY_FEATURES:
            xs[t, COUNTRY_FEATURES.index(w)] = 1.0
    return xs


def country_cell(strength=6.0):
    """An LSTM with 2 memory cells and weights set by hand: cell 1 remembers France, cell 2 Spain.

    A country word opens the input gate of both cells (write) and closes their forget gate (erase);
    the candidate of cell k is about 1 only for country k; the output gate opens on 'speak'.
    Every other word writes nothing (input near 0) and keeps the belt (forget near 1).
    `strength` s sets how sharp the gates are: each gate is sigmoid(+-s) = 0.998 or 0.002 for s = 6.
    """
    s = check_number("strength", strength)
    country = np.array([1.0, 1.0, 0.0])
    speak = np.array([0.0, 0.0, 1.0])
    w_ih = np.vstack([
        2 * s * country, 2 * s * country,       # input gate i: opens on a country word
        -2 * s * country, -2 * s * country,     # forget gate f: closes on a country word
        [s / 2, 0, 0], [0, s / 2, 0],           # candidate g: cell 1 <- France, cell 2 <- Spain
        2 * s * speak, 2 * s * speak,           # output gate o: opens on 'speak'
    ])  # (8, 3), PyTorch's order i, f, g, o
    b = np.array([-s, -s, s, s, 0, 0, -s, -s])  # i closed, f open, o closed unless a word says otherwise
    return LSTMCell.from_torch(w_ih, np.zeros((8, 2)), b, np.zeros(8))


def country_compute(forget=None, words=COUNTRY_SENTENCE):
    """Run `country_cell` over the words (forget=None: as built; a number forces the forget gate)."""
    return country_cell().forward(country_sentence(words), forget=forget)


def _words_of(trace, words):
    """The words, checked against a trace of the country cell: one word per step."""
    words = check_words("words", words)
    h = getattr(trace, "h", None)
    if not isinstance(h, np.ndarray) or h.ndim != 2 or h.shape[1] != len(LANGUAGES):
        raise TypeError(f"trace must be the trace of country_compute (h of shape (T, {len(LANGUAGES)})), got "
                        f"{type(trace).__name__}" + (f" with h of shape {h.shape}" if isinstance(h, np.ndarray) else ""))
    if len(words) != h.shape[0]:
        raise ValueError(f"words must hold one word per step of the trace ({h.shape[0]}), got {len(words)} words")
    return words


def spoken_language(trace, words=COUNTRY_SENTENCE, tol=1e-6):
    """At every 'speak', the language whose memory cell has the larger hidden state: list of (t, language).

    When the two hidden states are within `tol` of each other the readout cannot choose, and says TIE.
    """
    words, tol = _words_of(trace, words), check_number("tol", tol, low=0)
    found = []
    for t, w in enumerate(words):
        if w == "speak":
            h = trace.h[t]
            found.append((t, TIE if abs(h[0] - h[1]) <= tol else LANGUAGES[int(np.argmax(h))]))
    return found


def country_draw(trace, words=COUNTRY_SENTENCE):
    """Three panels over the words: the gates (the same for both memory cells here), the belt c, the readout h."""
    words = _words_of(trace, words)
    fig = new_figure(7.8, 5.0)
    axes = fig.subplots(3, 1, sharex=True, height_ratios=[1.1, 1, 1])
    t = np.arange(len(words))
    for ax in axes:
        for k, w in enumerate(words):
            if w in COUNTRY_FEATURES[:2]:
                ax.axvspan(k - 0.45, k + 0.45, color=OKABE_ITO["yellow"], alpha=0.35, lw=0)
    ax = axes[0]
    for name in ("input", "forget", "output"):
        forced = " (forced)" if name in trace.forced else ""
        ax.plot(t, getattr(trace, name)[:, 0], "o-", ms=3.5, lw=1.8, color=GATE_COLORS[name], label=name + forced)
    ax.set(ylim=(-0.1, 1.15), ylabel="gate", title="The country cell, word by word (country words shaded)")
    ax.legend(fontsize=9, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for row, name, label in ((1, "c", "cell state c"), (2, "h", "hidden state h")):
        ax = axes[row]
        color = GATE_COLORS["cell" if name == "c" else "hidden"]
        for k, country in enumerate(COUNTRY_FEATURES[:2]):
            style, marker = CELL_STYLES[k]
            ax.plot(t, getattr(trace, name)[:, k], style, marker=marker, ms=3.5, lw=1.8, color=color,
                    label=f"memory cell {k + 1}: {country}")
        ax.set(ylim=(-0.1, 1.15), ylabel=label)
        ax.legend(fontsize=9, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for t_speak, lang in spoken_language(trace, words):
        late = t_speak > 0.7 * (len(words) - 1)  # near the right edge the label ends at its point, inside the axes
        axes[2].annotate(f"{lang} →" if late else f"→ {lang}", (t_speak, trace.h[t_speak].max()),
                         xytext=(-6 if late else 0, 5), textcoords="offset points", ha="right" if late else "center",
                         fontsize=9, color=GATE_COLORS["hidden"])
    axes[2].set_xticks(t, words, rotation=60, ha="right", rotation_mode="anchor", fontsize=9)
    axes[2].set_xlabel("word")
    return fig


# The exercises of the chapter

COUNT_KEYS = ("input", "forget", "w", "b")
COUNT_KEYS_SHOWN = ", ".join(key_code(k) for k in COUNT_KEYS)
COUNT_FORM = '{"input": 0.5, "forget": 0.5, "w": 1.0, "b": 0.0}'  # the form of an answer to lstm-gates-2, not the answer


def counting_sequence(steps=30, seed=0):
    """The 0s and 1s the counting check feeds in: shape (steps, 1), seeded."""
    steps, seed = check_size("steps", steps), check_seed("seed", seed)
    return np.random.default_rng(seed).integers(0, 2, size=(steps, 1)).astype(np.float64)


def counting_run(answer, xs=None):
    """Run a 1-input, 1-cell LSTM whose input and forget gates are forced and whose candidate is tanh(w x + b).

    answer : dict with numbers input, forget (each in [0, 1], used at every step), w and b (the candidate's
        weight and bias). xs : array (T, 1) of 0s and 1s, default `counting_sequence()`.
    Returns the LSTMTrace; trace.c[:, 0] is what should follow the running count of 1s.
    """
    given = entries(answer, COUNT_KEYS, each=number)  # by name: a dict may list its keys in any order
    weight_ih = np.array([[0.0], [0.0], [given["w"]], [0.0]])  # PyTorch's order i, f, g, o: only the candidate reads x
    bias = np.array([0.0, 0.0, given["b"], 0.0])
    cell = LSTMCell.from_torch(weight_ih, np.zeros((4, 1)), bias, np.zeros(4))
    xs = counting_sequence() if xs is None else xs
    return cell.forward(xs, input=given["input"], forget=given["forget"], output=1.0)


@exercise("lstm-gates-1", wrong=0.0)
def _keep_without_writing(answer):

    value = number(answer)
    target = float(gates_compute(input=0.0, forget=1.0).c[-1, 0])
    if abs(value - target) <= 0.02:
        return Verdict(True, f"c stays at {target:.2f}, the value it started with: forget = 1 keeps all of the belt "
                             "and input = 0 writes nothing, so nothing changes it.")
    if abs(value) <= 0.02:
        return Verdict(False, "An input gate at 0 blocks what is *written*; it does not erase. Which gate erases, "
                              "and what is it set to here? Look at where memory cell 1 starts, at t = 0.")
    return Verdict(False, f"{shown(value)} is not it. With forget = 1 the belt keeps everything it holds, and with "
                          "input = 0 nothing is added. So what does memory cell 1 hold at the end?")


@exercise("lstm-gates-2", wrong={"input": 1.0, "forget": 0.9, "w": 3.0, "b": 0.0})
def _count_the_ones(answer):
    if not isinstance(answer, dict):
        raise AnswerError(f"expected a dict with the keys {COUNT_KEYS_SHOWN}, for example {code(COUNT_FORM)}, got "
                          f"{described(answer)}")
    given = entries(answer, COUNT_KEYS, each=number)
    i, f, w, b = (given[k] for k in ("input", "forget", "w", "b"))
    if why := gates_out_of_range({"input": i, "forget": f}):
        return Verdict(False, why)
    xs = counting_sequence()
    with np.errstate(over="ignore"):  # w and b of 1e308 overflow to inf inside the cell, and tanh(inf) = 1 is right
        trace = counting_run(given, xs)
    count = np.cumsum(xs[:, 0])
    c = trace.c[:, 0]
    error = np.abs(c - count)
    on_zero, on_one = i * float(np.tanh(b)), i * float(np.tanh(w + b))  # what a 0 and a 1 add to the belt
    if error.max() < 0.5:
        return Verdict(True, f"After each of the {len(xs)} steps, c is the number of 1s so far to within "
                             f"{shown(error.max(), 2)}: the belt keeps (forget = {shown(f)}), every step writes (input = "
                             f"{shown(i)}), and a 1 adds {shown(on_one, 3)} while a 0 adds {shown(on_zero, 3)}.")
    t = int(np.argmax(error >= 0.5))
    where = f"At step {t} the count is {count[t]:.0f} but c = {c[t]:.2f}."
    if f < 1:
        lost = "all" if f == 0 else f"{shown(100 * (1 - f), 3)}%"
        return Verdict(False, f"{where} With forget = {shown(f)} the belt loses {lost} of the count at every step. "
                              "Which forget value keeps all of it?")
    if abs(on_zero) > 0.01:
        return Verdict(False, f"{where} Every 0 adds input · tanh(b) = {shown(on_zero, 3)} to the count: a 0 must add "
                              "(almost) nothing. Which bias gives a candidate of 0 for x = 0?")
    if i < 1:
        written = ("nothing is written onto the belt" if i == 0 else
                   f"only {shown(100 * i, 3)}% of each candidate is written onto the belt")
        return Verdict(False, f"{where} With input = {shown(i)} {written}: every 1 adds input · tanh(w + b) = "
                              f"{shown(on_one, 3)} instead of 1. Which input writes the candidate in full?")
    return Verdict(False, f"{where} Every 1 adds tanh(w + b) = {shown(on_one, 3)} instead of 1. The candidate is a "
                          "tanh, so it never reaches 1 exactly, but it comes close: tanh(3) = 0.995. Which w gets it "
                          "that close?")
