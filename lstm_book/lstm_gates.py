"""Chapter 5: the LSTM's gates.

Three pictures:

* the cell as a diagram (`lstm_diagram`), its four parts named as in the code: forget gate f, input gate i,
  candidate g (a tanh), output gate o;
* a small LSTMCell (1 input, 3 memory cells) over a short sequence, with any gate forced by hand or left computed
  (`gates_compute` / `gates_draw`), as a static twin for the website (`gates_static`) and live (`gates_live`);
* the country story (`country_cell`, `country_sentence`, `country_draw`): an LSTM with hand-set weights that
  forgets the old country exactly when a new one appears, so the language it points to at "speak" changes too.

References: Olah, "Understanding LSTM Networks" (2015) for the drawing; Gers et al. (2000) for the forget gate.

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import numpy as np

from lstm_lite import LSTMCell

from .exercises import Verdict, entries, exercise, number
from .figures import GATE_COLORS, OKABE_ITO, new_figure

DEMO_SEED = 1  # a seed whose memory cell 1 writes with the sign of the input: easy to follow by eye
DEMO_C0 = np.array([0.8, -0.5, 0.3])  # the belt already carries something at the start, so keeping shows
GATE_CHOICES = (None, 0.0, 0.5, 1.0)  # None = computed by the cell; the numbers force the gate
INPUT_CHOICES = (None, 0.0, 1.0)  # fewer for the input gate: each choice adds a row of frames to build and to load
C_LIMIT = 5.5  # the cell-state axis of every frame: covers every choice of the sliders
CELL_STYLES = (("-", "o"), ("--", "s"), (":", "^"))  # one line style per memory cell, colours stay for the parts


def _fixed_figure(width, height):
    """A Figure with no layout engine (new_figure's is constrained). savefig draws a figure that has any layout
    engine twice, once to lay it out; with fixed margins one draw is enough, which halves the cost of every frame."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def gate_demo_cell(seed=DEMO_SEED):
    """The small LSTM of chapter 5: 1 input, 3 memory cells, seeded weights scaled up so the gates move."""
    cell = LSTMCell(1, 3, seed=seed)
    cell.weight_ih = cell.weight_ih * 4.0  # PyTorch-sized weights give gates that hardly move; x4 makes them react
    cell.weight_hh = cell.weight_hh * 2.0  # ... and the past (through h) a smaller say than the input
    return cell


def gate_demo_inputs(steps=12):
    """The input sequence of chapter 5: a few pulses up and down, shape (steps, 1)."""
    xs = np.zeros((steps, 1))
    xs[[1, 2], 0] = 1.0
    xs[5, 0] = -1.0
    xs[8, 0] = 0.7
    return xs


def gates_compute(input=None, forget=None, output=None, cell=None, xs=None, c0=None):
    """Run the chapter-5 cell with any gate forced by hand or computed (None).

    Parameters
    ----------
    input, forget, output : None (computed by the cell) or a number in [0, 1] (forced at every step and cell)
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
    return cell.forward(xs, c0=c0, input=input, forget=forget, output=output)


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
    """The half-height of the cell-state axis: c_limit, or wider when the belt goes further (never clipped)."""
    return max(c_limit, np.ceil(np.abs(trace.c).max()) + 0.5)


def _suptitle(trace):
    return (f"input gate {_forced_word(trace, 'input')}, forget gate {_forced_word(trace, 'forget')}, "
            f"output gate {_forced_word(trace, 'output')}")


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

    fig = _fixed_figure(7.8, 4.4)  # fixed margins: any layout engine costs a second draw on every frame
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
    `_PixelCache`, which pastes back the pixels of a wording already drawn.

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
        drawn["legend_pixels"] = _PixelCache(legend, lambda: tuple(text.get_text() for text in legend.texts))
    return [*artists, drawn["suptitle"], drawn["legend_pixels"]]


class _PixelCache:
    """Stands for an artist that lies alone on the static background of a FastFigure (here the legend), and pastes
    back its pixels when it looks as it did before.

    The legend of gates_draw has only eight wordings (which of three gates are forced), yet drawing it is half of a
    redraw: its texts are laid out and rasterised anew every time. Drawn on the unchanging background, the pixels of
    its box (with a margin for anti-aliasing) are exactly what drawing it again would give, so they are kept, one
    copy per `key()` (and size and dpi of the canvas).
    """

    def __init__(self, artist, key):
        self.artist, self.key, self.pixels = artist, key, {}

    def set_animated(self, animated):
        self.artist.set_animated(animated)  # left out of the background, like the artist it stands for

    def get_animated(self):
        return self.artist.get_animated()

    def draw(self, renderer):
        key = (self.key(), renderer.width, renderer.height, self.artist.figure.dpi)
        if key in self.pixels:
            renderer.restore_region(self.pixels[key])
            return
        self.artist.draw(renderer)
        box = self.artist.get_window_extent(renderer).padded(3)
        self.pixels[key] = renderer.copy_from_bbox(box)


def gates_alt(input=None, forget=None, output=None):
    """Alt text of one frame of the gate pictures, in words."""
    def say(name, value):
        return f"{name} gate computed by the cell" if value is None else f"{name} gate forced to {value:g}"

    trace = gates_compute(input=input, forget=forget, output=output)
    return (f"Input pulses, the gates of memory cell 1, and the cell and hidden states of three memory cells over "
            f"12 steps, with the {say('input', input)}, the {say('forget', forget)} and the {say('output', output)}. "
            f"At the last step memory cell 1 holds c = {trace.c[-1, 0]:.2f} and h = {trace.h[-1, 0]:.2f}.")


def gates_static(link=None, choices=GATE_CHOICES, input_choices=INPUT_CHOICES):
    """The two static twins of chapter 5: input x forget (output computed), then output alone.

    link : widgets.jslink (default, for the website) or widgets.link (for tests in Python).
    choices : the values of the forget and output sliders (None = computed); input_choices : of the input slider.
    Returns (grid, output_slider), two lstm_book.sliders.StaticFigure, with 3 x 4 and 4 frames by default.
    """
    from .sliders import static_grid, static_slider

    grid = static_grid(
        lambda input, forget: gates_draw(gates_compute(input=input, forget=forget)),
        {"input": list(input_choices), "forget": list(choices)},
        alt=lambda input, forget: gates_alt(input=input, forget=forget),
        descriptions={"input": "input gate i", "forget": "forget gate f"}, link=link,
    )
    output = static_slider(
        lambda v: gates_draw(gates_compute(output=v)), list(choices), description="output gate o",
        alt=lambda v: gates_alt(output=v), link=link,
    )
    return grid, output


def gates_live():
    """The live version (a running kernel only): for each gate a slider and a box that says 'force it'."""
    import ipywidgets as widgets

    from .sliders import live_plot

    controls = {}
    for name in ("input", "forget", "output"):
        # redrawn in place (gates_update) in ~20 ms: fast enough to follow the mouse
        controls[name] = widgets.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description=f"{name} gate",
                                             continuous_update=True)
        controls[f"force_{name}"] = widgets.Checkbox(value=False, description=f"force the {name} gate")

    def compute(input, forget, output, force_input, force_forget, force_output):
        return gates_compute(input=input if force_input else None, forget=forget if force_forget else None,
                             output=output if force_output else None)

    return live_plot(compute, gates_draw, controls, update=gates_update)


def lstm_diagram():
    """The LSTM cell as a diagram: the belt c on top, the four parts named as in the code, h at the bottom right.

    Everywhere else the gates come in PyTorch's order i, f, g, o; here they stand where they act on the belt, which
    reads left to right as c_t = f * c_{t-1} + i * g: first the forget gate multiplies it, then i * g is added."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    fig = _fixed_figure(7.8, 4.4)  # one axes filling the figure: nothing to lay out
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set(xlim=(0, 16), ylim=(0, 9))
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((2.0, 1.25), 11.2, 6.35, boxstyle="round,pad=0.1,rounding_size=0.4",
                                fc="#F4F4F4", ec="0.6", lw=1))
    wire = {"color": "0.25", "lw": 1.6}

    def arrow(a, b, color="0.25", lw=1.6):
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=12, color=color, lw=lw,
                                     shrinkA=0, shrinkB=0, zorder=2))

    def op(xy, text):
        ax.add_patch(Circle(xy, 0.36, fc="white", ec="0.2", lw=1.3, zorder=3))
        ax.text(*xy, text, ha="center", va="center", fontsize=13, zorder=4, fontweight="bold")

    def part(x, y, name, fn, color):
        # a light fill and a strong edge: black text stays readable on every colour of the palette
        ax.add_patch(FancyBboxPatch((x - 0.9, y - 0.55), 1.8, 1.1, boxstyle="round,pad=0.05", fc=to_rgba(color, 0.3),
                                    ec=color, lw=2.2, zorder=3))
        ax.text(x, y + 0.22, name, ha="center", va="center", fontsize=9, color="black", zorder=4)
        ax.text(x, y - 0.22, fn, ha="center", va="center", fontsize=11, color="black", fontweight="bold", zorder=4)

    belt, gates_y, bus = 6.6, 3.3, 1.8
    xf, xi, xg, xo, xout = 3.6, 5.9, 8.2, 10.5, 12.2  # x of the four parts and of the output branch

    # the belt: c_{t-1} -> (x forget) -> (+ write) -> c_t
    arrow((0.3, belt), (xf - 0.36, belt), color="black", lw=2.6)
    op((xf, belt), "×")
    arrow((xf + 0.36, belt), (xg - 0.36, belt), color="black", lw=2.6)
    op((xg, belt), "+")
    arrow((xg + 0.36, belt), (15.7, belt), color="black", lw=2.6)
    ax.text(0.3, belt + 0.3, "cell state $c_{t-1}$", fontsize=9)
    ax.text(15.7, belt + 0.3, "cell state $c_t$", fontsize=9, ha="right")
    ax.text((xg + xout) / 2 + 0.5, belt + 0.3, "the belt", fontsize=9, color="0.3", ha="center")

    # the inputs: h_{t-1} from the left and x_t from below meet on one bus that feeds all four parts
    ax.plot([0.3, xo], [bus, bus], **wire)
    ax.text(0.3, bus + 0.2, "hidden state $h_{t-1}$", fontsize=9)
    ax.plot([2.6, 2.6], [0.35, bus], **wire)
    ax.add_patch(Circle((2.6, bus), 0.07, color="0.25", zorder=3))
    ax.text(2.8, 0.4, "input $x_t$", fontsize=9)
    for x in (xf, xi, xg, xo):
        arrow((x, bus), (x, gates_y - 0.6))
    part(xf, gates_y, "forget gate", "σ  →  f", GATE_COLORS["forget"])
    part(xi, gates_y, "input gate", "σ  →  i", GATE_COLORS["input"])
    part(xg, gates_y, "candidate", "tanh  →  g", GATE_COLORS["candidate"])
    part(xo, gates_y, "output gate", "σ  →  o", GATE_COLORS["output"])

    # forget: f multiplies the belt; input: i times g is added to it
    arrow((xf, gates_y + 0.6), (xf, belt - 0.36), color=GATE_COLORS["forget"], lw=2)
    ax.text(xf + 0.15, 5.0, "keep f·c", fontsize=9)
    write_y = 4.9
    op((xg, write_y), "×")
    arrow((xg, gates_y + 0.6), (xg, write_y - 0.36), color=GATE_COLORS["candidate"], lw=2)
    ax.plot([xi, xi], [gates_y + 0.6, write_y], color=GATE_COLORS["input"], lw=2)
    arrow((xi, write_y), (xg - 0.36, write_y), color=GATE_COLORS["input"], lw=2)
    arrow((xg, write_y + 0.36), (xg, belt - 0.36))
    ax.text(xg + 0.15, 5.65, "write i·g", fontsize=9)

    # output: tanh(c_t) times o gives h_t
    ax.plot([xout, xout], [belt, 5.75], **wire)
    ax.add_patch(Circle((xout, belt), 0.07, color="black", zorder=3))
    ax.add_patch(FancyBboxPatch((xout - 0.5, 4.95), 1.0, 0.6, boxstyle="round,pad=0.05", fc="white", ec="0.2",
                                lw=1.1, zorder=3))
    ax.text(xout, 5.25, "tanh", ha="center", va="center", fontsize=9, zorder=4)
    arrow((xout, 5.75), (xout, 5.6))
    op((xout, gates_y), "×")
    arrow((xout, 4.95), (xout, gates_y + 0.36))
    arrow((xo + 0.95, gates_y), (xout - 0.36, gates_y), color=GATE_COLORS["output"], lw=2)
    ax.plot([xout, xout], [gates_y - 0.36, 0.8], color=GATE_COLORS["hidden"], lw=2.2)
    arrow((xout, 0.8), (15.7, 0.8), color=GATE_COLORS["hidden"], lw=2.2)
    ax.text(15.7, 0.95, "hidden state $h_t$", fontsize=9, color=GATE_COLORS["hidden"], ha="right", va="bottom")
    ax.text(15.7, 0.62, "= o · tanh($c_t$)", fontsize=9, color=GATE_COLORS["hidden"], ha="right", va="top")
    ax.text(8.0, 8.45, "One step of an LSTM cell: the belt c on top, the four parts below", ha="center",
            fontsize=11)
    return fig


COUNTRY_SENTENCE = tuple("I grew up in France . I speak French . Then I moved to Spain . I speak Spanish".split())
COUNTRY_FEATURES = ("France", "Spain", "speak")  # one input feature per word that matters
LANGUAGES = ("French", "Spanish")  # memory cell k stands for country k, so it points to language k
TIE = "French or Spanish?"  # what the readout says when both memory cells show the same value


def country_sentence(words=COUNTRY_SENTENCE):
    """One-hot inputs (T, 3) for the words: feature 0 = 'France', 1 = 'Spain', 2 = 'speak'; other words are 0."""
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
    s = strength
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


def spoken_language(trace, words=COUNTRY_SENTENCE, tol=1e-6):
    """At every 'speak', the language whose memory cell has the larger hidden state: list of (t, language).

    When the two hidden states are within `tol` of each other the readout cannot choose, and says TIE.
    """
    found = []
    for t, w in enumerate(words):
        if w == "speak":
            h = trace.h[t]
            found.append((t, TIE if abs(h[0] - h[1]) <= tol else LANGUAGES[int(np.argmax(h))]))
    return found


def country_draw(trace, words=COUNTRY_SENTENCE):
    """Three panels over the words: the gates (the same for both memory cells here), the belt c, the readout h."""
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


def counting_sequence(steps=30, seed=0):
    """The 0s and 1s the counting check feeds in: shape (steps, 1), seeded."""
    return np.random.default_rng(seed).integers(0, 2, size=(steps, 1)).astype(np.float64)


def counting_run(answer, xs=None):
    """Run a 1-input, 1-cell LSTM whose input and forget gates are forced and whose candidate is tanh(w x + b).

    answer : dict with numbers input, forget (each in [0, 1], used at every step), w and b (the candidate's
        weight and bias). xs : array (T, 1) of 0s and 1s, default `counting_sequence()`.
    Returns the LSTMTrace; trace.c[:, 0] is what should follow the running count of 1s.
    """
    i, f, w, b = (number(entries(answer, COUNT_KEYS)[k]) for k in COUNT_KEYS)
    weight_ih = np.array([[0.0], [0.0], [w], [0.0]])  # PyTorch's order i, f, g, o: only the candidate reads x
    bias = np.array([0.0, 0.0, b, 0.0])
    cell = LSTMCell.from_torch(weight_ih, np.zeros((4, 1)), bias, np.zeros(4))
    xs = counting_sequence() if xs is None else xs
    return cell.forward(xs, input=i, forget=f, output=1.0)


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
    return Verdict(False, f"{value:g} is not it. With forget = 1 the belt keeps everything it holds, and with "
                          "input = 0 nothing is added. So what does memory cell 1 hold at the end?")


@exercise("lstm-gates-2", wrong={"input": 1.0, "forget": 0.9, "w": 3.0, "b": 0.0})
def _count_the_ones(answer):
    if not isinstance(answer, dict):
        return Verdict(False, f"Give a dict with the keys {COUNT_KEYS}, for example "
                              "{'input': 0.5, 'forget': 0.5, 'w': 1.0, 'b': 0.0}.")
    xs = counting_sequence()
    trace = counting_run(answer, xs)
    count = np.cumsum(xs[:, 0])
    c = trace.c[:, 0]
    error = np.abs(c - count)
    if error.max() < 0.5:
        return Verdict(True, f"After each of the {len(xs)} steps, c is the number of 1s so far to within "
                             f"{error.max():.2f}: the belt keeps (forget 1), every step writes (input 1), and the "
                             "candidate is about 1 for a 1 and 0 for a 0.")
    f, i, w, b = (number(answer[k]) for k in COUNT_KEYS)
    t = int(np.argmax(error >= 0.5))
    where = f"At step {t} the count is {count[t]:.0f} but c = {c[t]:.2f}."
    if f < 1:
        return Verdict(False, f"{where} With forget = {f:g} the belt loses {1 - f:.0%} of the count at every step. "
                              "Which forget value keeps all of it?")
    g0, g1 = np.tanh(b), np.tanh(w + b)
    if abs(i * g0) > 0.01:
        return Verdict(False, f"{where} Every 0 adds input · tanh(b) = {i * g0:.3f} to the count: a 0 must add "
                              "(almost) nothing. Which bias gives a candidate of 0 for x = 0?")
    return Verdict(False, f"{where} Every 1 adds input · tanh(w + b) = {i * g1:.3f} instead of 1. The candidate "
                          "is a tanh, so it never reaches 1 exactly, but it comes close: tanh(3) = 0.995.")
