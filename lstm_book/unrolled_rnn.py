"""Chapter 4: the unrolled RNN, and how the first input fades.

    unrolled_compute / unrolled_draw     the same cell copied along time (matplotlib patches); optionally each
                                         hidden state shaded by how much the first input still moves it
                                         (unrolled_alt, UNROLLED: the chapter's slider over the scale)
    influence_compute / influence_draw   ||dh_T / dx_1|| for T = 1..100: RNNs with a few recurrent weight scales,
                                         and an LSTM whose forget gate starts near 1

The influence of the first input on the last state is the norm of the Jacobian dh_T/dx_1, computed with backward:
lstm_book.unrolled_rnn.first_input_influence runs, for every T, the sequence cut at length T with H copies in a batch and
one unit vector of dh_T per copy. Each T gets a run of its own, so nothing is approximated.

Time steps are numbered from 1: x_1 is the first input, h_T the last hidden state; index T - 1 of a curve is T.

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, LogNorm
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from lstm_lite import LSTMCell, RNNCell, sigmoid
from lstm_lite._checks import as_float_array

from .checks import check_flag, check_number, check_seed, check_size
from .exercises import Verdict, exercise, number, shown
from .figures import OKABE_ITO, new_figure
from .sliders import SliderPicture

FORGET_BIAS = 5.0  # sigmoid(5) = 0.9933: a memory half-life of ln 0.5 / ln 0.9933 = 103 steps
INPUT_BIAS = -3.0  # sigmoid(-3) = 0.047: a step writes little unless the weights learn to open the gate

HIDDEN_SIZE = 8
SCALES = (0.5, 1.0, 2.0)  # recurrent weight scales drawn in the chapter
SCALE_COLORS = {0.5: OKABE_ITO["orange"], 1.0: OKABE_ITO["vermillion"], 2.0: OKABE_ITO["reddish purple"]}
LSTM_COLOR = OKABE_ITO["blue"]


def first_input_influence(cell, xs):
    """How much the first input still moves the hidden state: ||d h_t / d x_0|| for every step t.

    xs is one sequence (T, D). For each t, one backward pass from h_t (a batch of H copies, one per hidden unit)
    gives the Jacobian d h_t / d x_0 (H, D); its Frobenius norm is returned, shape (T,).
    """
    xs = as_float_array("xs", xs)
    if xs.ndim != 2 or xs.shape[0] == 0 or xs.shape[1] != cell.input_size:
        raise ValueError(f"xs must be one sequence of shape (T, {cell.input_size}) with T >= 1, got shape {xs.shape}")
    T, _ = xs.shape
    H = cell.hidden_size
    out = np.empty(T)
    for t in range(T):
        copies = np.repeat(xs[: t + 1, None, :], H, axis=1)  # (t + 1, H, D)
        trace = cell.forward(copies)
        dh = np.zeros((t + 1, H, H))
        dh[t] = np.eye(H)  # copy k asks for d h_t[k]
        out[t] = np.linalg.norm(cell.backward(trace, dh)["x"][0])
    return out


# -- the cells and the inputs ---------------------------------------------------------------------------------


def chapter_inputs(steps=100, seed=0):
    """The input sequence of chapter 4: `steps` numbers drawn from a seeded standard normal, shape (steps, 1)."""
    steps, seed = check_size("steps", steps), check_seed("seed", seed)
    return np.random.default_rng(seed).normal(size=(steps, 1))


def orthogonal(n, seed=0):
    """A seeded random rotation (orthogonal n x n matrix): it turns a vector without changing its length."""
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q * np.sign(np.diag(r))  # the sign fix makes the draw uniform over rotations


def scaled_rnn(scale, seed=0, hidden_size=HIDDEN_SIZE):
    """RNNCell(1, hidden_size, seed) whose weight_hh is `scale` times a rotation.

    W_hh = scale * Q turns the state and multiplies its length by exactly `scale`, so `scale` is the one number
    that says how strongly the loop feeds back (the scalar w of chapter 3, for a vector).
    """
    scale, seed = check_number("scale", scale), check_seed("seed", seed)
    cell = RNNCell(1, hidden_size, seed=seed)
    cell.weight_hh = scale * orthogonal(hidden_size, seed + 1)
    return cell


def keeping_lstm(seed=0, hidden_size=HIDDEN_SIZE):
    """The belt-keeping LSTM of chapter 7 at its start: forget-gate bias FORGET_BIAS, input-gate bias INPUT_BIAS.

    forget ~ sigmoid(5) = 0.993: the belt keeps almost all it carries from one step to the next;
    input ~ sigmoid(-3) = 0.047: each step writes little, so the belt does not fill up and saturate tanh(c).
    """
    cell = LSTMCell(1, hidden_size, seed=seed, forget_bias=FORGET_BIAS)
    cell.bias_ih[:hidden_size] = INPUT_BIAS
    cell.bias_hh[:hidden_size] = 0.0
    return cell


def influence(cell, steps=100, seed=0):
    """||dh_T / dx_1|| for T = 1..steps on chapter_inputs(steps, seed), shape (steps,) (entry T - 1 is T)."""
    return first_input_influence(cell, chapter_inputs(steps, seed))


# -- the unrolled diagram -------------------------------------------------------------------------------------


def unrolled_compute(steps=5, scale=None, seed=0):
    """What the unrolled diagram shows: `steps` copies and, if `scale` is given, the influence of x_1 on each h_t.

    Returns dict steps, scale and shade: None, or (steps,) ||dh_t/dx_1|| / ||dh_1/dx_1|| for scaled_rnn(scale).
    """
    shade, steps = None, check_size("steps", steps)
    if scale is not None:
        raw = influence(scaled_rnn(scale, seed), steps, seed)
        shade = raw / raw[0]
    return {"steps": int(steps), "scale": scale, "shade": shade}


def _arrow(ax, start, end, color="0.15", lw=1.5, rad=0.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, lw=lw, color=color,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0))


def _cell_box(ax, x, y, w=1.3, h=1.0, label="cell"):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.08", fc="#E8F1F8",
                                ec=OKABE_ITO["blue"], lw=1.8))
    ax.text(x, y, label, ha="center", va="center", fontsize=9, color=OKABE_ITO["blue"], weight="bold")


# The shading of the unrolled picture: how much x_1 still moves h_t, relative to h_1, on a log scale. Fading (below 1)
# runs from white (1e-4 and less) to blue; growing (above 1) from light vermillion to vermillion (100 and more).
SHADE_NORM = LogNorm(1e-4, 1e2, clip=True)
SHADE_CMAP = LinearSegmentedColormap.from_list("influence", [
    (0.0, "#FFFFFF"), (4 / 6, OKABE_ITO["blue"]), (4 / 6 + 1e-6, "#F6C8A6"), (1.0, OKABE_ITO["vermillion"])])


def _shade_color(value):
    """The fill of h_t for an influence `value` (relative to h_1), and whether its label needs white text."""
    rgba = SHADE_CMAP(SHADE_NORM(max(value, 1e-30)))
    return rgba, 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] < 0.55


def unrolled_draw(r):
    """The folded loop (left, when no shading), then the chain of copies of the same cell, one per time step."""
    n, shade = r["steps"], r["shade"]
    folded = shade is None
    fig = new_figure(7.2, 2.9)
    ax = fig.subplots()
    x0 = 3.4 if folded else 0.4  # where the chain starts
    ax.set(xlim=(-0.3, x0 + 2.1 * n + 0.2), ylim=(-0.3, 4.4), aspect="equal")
    ax.axis("off")
    if folded:
        _cell_box(ax, 1.0, 2.0, label="cell")
        _arrow(ax, (1.0, 0.35), (1.0, 1.45))
        ax.text(1.0, 0.1, r"$x_t$", ha="center", va="center", fontsize=10)
        _arrow(ax, (1.0, 2.55), (1.0, 3.75), color=OKABE_ITO["reddish purple"])
        ax.text(1.0, 4.05, r"$h_t$", ha="center", va="center", fontsize=10)
        _arrow(ax, (1.0, 3.2), (1.7, 2.15), color=OKABE_ITO["vermillion"], rad=-1.2, lw=1.8)
        ax.text(2.75, 2.0, "=", ha="center", va="center", fontsize=22)
    for k in range(n):
        x = x0 + 0.75 + 2.1 * k
        _cell_box(ax, x, 2.0, label="cell")
        _arrow(ax, (x, 0.35), (x, 1.45))
        ax.text(x, 0.1, rf"$x_{{{k + 1}}}$", ha="center", va="center", fontsize=10)
        if k + 1 < n:
            _arrow(ax, (x + 0.72, 2.0), (x + 2.1 - 0.72, 2.0), color=OKABE_ITO["vermillion"], lw=1.8)
        color, dark = ("white", False) if shade is None else _shade_color(shade[k])
        ax.add_patch(Circle((x, 3.55), 0.42, fc=color, ec="none"))
        ax.add_patch(Circle((x, 3.55), 0.42, fc="none", ec=OKABE_ITO["reddish purple"], lw=1.6))
        _arrow(ax, (x, 2.55), (x, 3.1), color=OKABE_ITO["reddish purple"])
        text_color = "white" if dark else "black"
        ax.text(x, 3.55, rf"$h_{{{k + 1}}}$", ha="center", va="center", fontsize=10, color=text_color)
        if shade is not None:
            ax.text(x + 0.5, 3.05, f"{shade[k]:.0e}" if shade[k] < 0.01 else f"{shade[k]:.2f}", ha="left",
                    va="center", fontsize=9)
    if folded:
        title = "Unrolling: the same cell (the same weights), copied once per time step"
    else:
        title = f"recurrent scale {r['scale']:g}: how much the first input still moves each hidden state"
        bar = fig.colorbar(ScalarMappable(SHADE_NORM, SHADE_CMAP), ax=ax, orientation="horizontal", shrink=0.55,
                           aspect=40, pad=0.02)
        bar.set_ticks([1e-4, 1e-2, 1, 1e2], labels=["1e-4 or less", "0.01", "1: as much as at $h_1$", "100 or more"])
        bar.ax.tick_params(labelsize=9)
        bar.set_label("the shade of $h_t$: blue fades, orange grows", fontsize=9)
    ax.set_title(title, fontsize=10)
    return fig


def unrolled_alt(r):
    """What a picture of `unrolled_draw` shows, in words (its alt text), read from the result `r` of
    `unrolled_compute`."""
    n = r["steps"]
    copies = f"{_COUNTS[n] if n < len(_COUNTS) else n} copies of an RNN cell"
    if r["shade"] is None:
        return f"The RNN cell with its loop, and the same cell unrolled: {copies}, h_1 to h_{n}."
    values = ", ".join(f"{v:.2g}" for v in r["shade"])
    return (f"{copies} with recurrent scale {r['scale']:g}; the hidden states h_1 to h_{n} are shaded by the "
            f"influence of x_1 on each, relative to h_1: {values}.")


_COUNTS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
# Six copies shaded by the influence of x_1, over eight recurrent scales (static only)
UNROLLED = SliderPicture(unrolled_compute, unrolled_draw, unrolled_alt,
                         grid={"scale": [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0]}, fixed={"steps": 6},
                         start={"scale": 0.5}, descriptions={"scale": "recurrent scale s"}, label_format="{:.2f}")


# -- the fading of the first input ----------------------------------------------------------------------------


def influence_compute(scales=SCALES, steps=100, seed=0, lstm=True):
    """||dh_T/dx_1|| for T = 1..steps, relative to T = 1, for scaled_rnn(s) of every s and the keeping LSTM.

    Returns dict T (steps,) = 1..steps, curves: label -> (steps,) relative influence (1 at T = 1),
    raw: label -> (steps,) the norms themselves, and scales. Labels are "RNN, scale s" and "LSTM, forget ~ 0.99".
    """
    if isinstance(scales, str) or np.ndim(scales) != 1:
        raise TypeError(f"scales must be a list or tuple of numbers, got {scales!r} of type {type(scales).__name__}")
    for k, s in enumerate(scales):
        check_number(f"scales[{k}]", s)
    steps, seed, lstm = check_size("steps", steps), check_seed("seed", seed), check_flag("lstm", lstm)
    cells = {f"RNN, scale {s:g}": scaled_rnn(s, seed) for s in scales}
    if lstm:
        cells["LSTM, forget ~ 0.99"] = keeping_lstm(seed)
    raw = {label: influence(cell, steps, seed) for label, cell in cells.items()}
    curves = {label: values / values[0] for label, values in raw.items()}
    return {"T": np.arange(1, steps + 1), "curves": curves, "raw": raw, "scales": tuple(scales)}


def influence_draw(r, floor=1e-12):
    """The relative influence of x_1 on h_T against T, log scale, one line per cell; the y axis stops at `floor`."""
    fig = new_figure(7.6, 3.4)
    ax = fig.subplots()
    palette = [OKABE_ITO[k] for k in ("orange", "vermillion", "reddish purple", "sky blue", "bluish green")]
    for k, (label, values) in enumerate(r["curves"].items()):
        if label.startswith("LSTM"):
            ax.semilogy(r["T"], values, color=LSTM_COLOR, lw=2.6, label=label)
        else:
            scale = float(label.rsplit(" ", 1)[1])
            ax.semilogy(r["T"], values, color=SCALE_COLORS.get(scale, palette[k % len(palette)]), lw=1.8,
                        ls=("-", "--", "-.", ":")[k % 4], label=label)
        below = np.flatnonzero(values < floor)
        if below.size:  # the curve leaves the chart: say where, and where it ends
            T = r["T"][below[0]]
            ax.annotate(f"{label}: below {floor:.0e} from T = {T}\n(T = {r['T'][-1]}: {values[-1]:.0e})",
                        (T, floor), xytext=(6, 10), textcoords="offset points", fontsize=9, color="0.25")
    ax.axhline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set(title="How much the first input still moves the last hidden state", xlabel=r"sequence length $T$",
           ylabel="influence of the first input\n(1 at T = 1)", xlim=(1, r["T"][-1]), ylim=(floor, 50))
    ax.grid(True, which="major", color="0.92")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


# The exercises of the chapter

def _first_below(curve, level):
    """The first T (1-based) at which a curve (index T - 1) drops below `level`."""
    return int(np.flatnonzero(curve < level)[0]) + 1


def _whole_T(guess, largest=None):
    """None if `guess` is a whole number T >= 1 (and <= largest), else the sentence that says so."""
    if guess == int(guess) and guess >= 1 and (largest is None or guess <= largest):
        return None
    between = f"between 1 and {largest}" if largest else "of at least 1"
    return f"T counts steps: give a whole number {between}; {shown(guess)} came."


@exercise("unrolled-rnn-1", wrong=50)
def _below_1e3(answer):
    curve = influence(scaled_rnn(0.5), steps=100)  # the chapter's curve
    curve = curve / curve[0]
    T = _first_below(curve, 1e-3)
    bound = int(np.floor(np.log(1e-3) / np.log(0.5))) + 2  # the first T with 0.5 ** (T - 1) < 1e-3
    guess = number(answer)
    if why := _whole_T(guess, len(curve)):
        return Verdict(False, f"{why} Hint: 0.5^10 is about 1e-3.")
    if guess == T:
        return Verdict(True, f"At T = {T} the influence is {curve[T - 1]:.1e} of its start; at T = {T - 1} it was "
                             f"still {curve[T - 2]:.1e}. Scale 0.5 alone would give 0.5^{T - 1} = "
                             f"{0.5 ** (T - 1):.1e}: the slopes of tanh shrink it a little more.")
    if guess == bound:
        return Verdict(False, f"T = {bound} is where the bound 0.5^(T-1) first drops below 1e-3 (0.5^{bound - 1} = "
                              f"{0.5 ** (bound - 1):.1e}). The measured curve falls faster, because the slopes of "
                              "tanh shrink the influence too: where does it cross 1e-3?")
    side = "too late: by then it is" if guess > T else "too early: there it is still"
    return Verdict(False, f"T = {guess:.0f} is {side} {curve[int(guess) - 1]:.1e}. Hint: 0.5^10 is about 1e-3, so "
                          "look near there, in `curve` (entry T - 1 is T).")


@exercise("unrolled-rnn-2", wrong=44)
def _linear_loop_to_1_percent(answer):
    T = number(answer)
    exact = int(np.floor(np.log(0.01) / np.log(0.9))) + 2  # the first T with 0.9 ** (T - 1) < 0.01
    if why := _whole_T(T):
        return Verdict(False, why)
    if T == exact:
        return Verdict(True, f"0.9^{exact - 1} = {0.9 ** (exact - 1):.4f} is the first power below 0.01 "
                             f"(0.9^{exact - 2} = {0.9 ** (exact - 2):.4f}).")
    def power(n):  # n >= 0: no overflow; a float underflows to 0 from n = 7100 on
        return f"0.9^{shown(n)}" + (f" = {shown(0.9 ** n)}" if 0.9 ** n > 0 else ", less than 1e-300")

    now = f"At T = {shown(T)} the influence is {power(T - 1)}"
    if T > exact:
        return Verdict(False, f"{now}, below 0.01, but not for the first time: one step earlier it was "
                              f"{power(T - 2)}. You want the first T with 0.9^(T-1) < "
                              "0.01. Hint: T - 1 > ln 0.01 / ln 0.9.")
    count = (f" Careful with the count: at T = {exact - 1} the first input has been multiplied by 0.9 only "
             f"{exact - 2} times (T - 1)." if T == exact - 1 else "")
    return Verdict(False, f"{now}, still above 0.01.{count} The first input is multiplied by 0.9 once per step after "
                          "step 1, so you want the first T with 0.9^(T-1) < 0.01. Hint: T - 1 > ln 0.01 / ln 0.9.")


@exercise("unrolled-rnn-3", wrong=0.34)
def _belt_only(answer):
    share = number(answer)
    f = float(sigmoid(FORGET_BIAS))
    belt = f ** 99
    if abs(share - belt) <= 0.001:
        return Verdict(True, f"{f:.4f}^99 = {belt:.3f}: along the belt alone half the influence survives 100 steps. "
                             "The measured curve ends lower because the gates and tanh(c) also pass on less than all.")
    for times in (100, 98):  # one multiplication too many or too few
        if abs(share - f ** times) <= 0.001:
            return Verdict(True, f"Close enough: {f:.4f}^{times} = {f ** times:.3f}, but from step 1 to step 100 the "
                                 f"belt is multiplied 99 times, {f:.4f}^99 = {belt:.3f}.")
    if abs(share - belt) <= 0.01:
        return Verdict(True, f"{f:.4f}^99 = {belt:.3f}: along the belt alone half the influence survives 100 steps. "
                             "The measured curve ends lower because the gates and tanh(c) also pass on less than all.")
    if not 0 <= share <= 1:
        return Verdict(False, f"A share of the influence lies between 0 and 1; {shown(share)} came. The belt multiplies "
                              f"it by the forget gate, sigmoid({FORGET_BIAS:g}) = {f:.4f}, 99 times.")
    if abs(share - 0.34) <= 0.005:
        return Verdict(False, "0.34 is the measured curve at T = 100, along every path of the cell. The question asks "
                              f"for the belt alone: 99 multiplications by the forget gate, sigmoid({FORGET_BIAS:g}) = "
                              f"{f:.4f}. What is {f:.4f}^99?")
    return Verdict(False, f"{shown(share)} is not it. From step 1 to step 100 the belt is multiplied by the forget "
                          f"gate 99 times, and the gate is sigmoid({FORGET_BIAS:g}) = {f:.4f}. What is {f:.4f}^99?")
