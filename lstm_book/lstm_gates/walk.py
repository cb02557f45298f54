"""Chapter 5, the walk-through: the cell as a diagram (`lstm_diagram`), its four parts named as in the code (forget
gate f, input gate i, candidate g, output gate o), and one step walked through on it, part by part, with the numbers
of memory cell 1 of the chapter's small cell on the wires (`walk_values`; `walk_compute` / `walk_draw` /
`walk_alt`: WALK, the slider picture).

References: Olah, "Understanding LSTM Networks" (2015) for the drawing.
"""

import textwrap

import numpy as np

from lstm_lite import LSTMCell

from ..checks import check_index, check_numbers
from ..figures import GATE_COLORS, fixed_figure
from ..sliders import SliderPicture
from .gates import DEMO_C0, gate_demo_cell, gate_demo_inputs

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


def walk_compute(stage=0):
    """What frame `stage` (0 to 7) of the walk-through shows: dict stage, and values, the numbers of the step
    (`walk_values`: the chapter's demo cell at its first step, memory cell 1)."""
    stage = check_index("stage", stage, len(WALK_STAGES), "a part of the walk-through")
    return {"stage": stage, "values": walk_values()}


def walk_alt(r):
    """Alt text of a frame of the walk-through, from the result `r` of `walk_compute`: the diagram, what is lit,
    and the stage's sentence."""
    stage, v = r["stage"], r["values"]
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


def walk_draw(r):
    """A frame of the walk-through, from the result `r` of `walk_compute` (stage 0: the whole cell, no numbers; 1
    to 7: one part lit, the numbers so far), with the stage's sentence under the cell."""
    return lstm_diagram(r["stage"], r["values"])


# The walk-through of one step, part by part (static only: eight frames, a slider with words of its own)
WALK = SliderPicture(walk_compute, walk_draw, walk_alt, grid={"stage": list(range(len(WALK_STAGES)))},
                     descriptions={"stage": "step part"}, labels={"stage": [s[0] for s in WALK_STAGES]})


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
