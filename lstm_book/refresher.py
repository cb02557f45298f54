"""Chapter 1: squashing functions.

sigmoid and tanh of weight * x + bias, computed and drawn for the sliders of the refresher, and a gate: a value
times sigmoid(z), the fraction of it that passes.

    squash_compute / squash_draw / squash_update / squash_alt   the two curves, stretched by a weight and shifted by a
                                   bias, and one input x; SQUASH_INPUT and SQUASH, the chapter's two slider pictures
    gate_compute / gate_draw       value * sigmoid(z) for a few z: how much of the value a gate lets through

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

from dataclasses import replace

import ipywidgets as widgets
import numpy as np

from lstm_lite import sigmoid, tanh

from .checks import check_number, check_numbers
from .exercises import Verdict, exercise, number, shown, shown_apart
from .figures import GATE_COLORS, OKABE_ITO, new_figure
from .sliders import SliderPicture

XS = np.linspace(-6.0, 6.0, 241)  # (241,) the inputs along the x axis of every plot
INPUTS = tuple(float(x) for x in range(-4, 5))  # the input slider: x = -4, -3, ..., 4
WEIGHTS = (-1.0, 0.0, 0.5, 1.0, 3.0)  # the weight slider: flipped, flat, gentle, plain, steep
BIASES = (-2.0, 0.0, 2.0)  # the bias slider: shift right, none, shift left
GATE_ZS = (-4.0, -2.0, 0.0, 2.0, 4.0)  # how open the gate of the gate picture is
RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
COLORS = {"sigmoid": GATE_COLORS["input"], "tanh": GATE_COLORS["candidate"]}  # a gate and a candidate, as in ch. 5


def squash_compute(weight=1.0, bias=0.0, x=None):
    """sigmoid(weight * x + bias) and tanh(weight * x + bias) along the x axis, and at one input x.

    Parameters
    ----------
    weight, bias : float, stretch and shift: the curves are f(z) with z = weight * x + bias
    x : float or None, one input to mark on the curves

    Returns
    -------
    dict with
        xs (241,) the inputs of the x axis, z (241,) = weight * xs + bias,
        sigmoid, tanh (241,) the squashed z, plain_sigmoid, plain_tanh (241,) the curves with weight 1, bias 0,
        weight, bias, x, middle: the input where z = 0 (sigmoid = 0.5, tanh = 0), None for a flat curve,
        at_x: None, or dict z, sigmoid, tanh at the input x.
    """
    weight, bias = check_number("weight", weight), check_number("bias", bias)
    if x is not None:
        check_number("x", x)
    z = weight * XS + bias  # (241,)
    middle = None if weight == 0 else -bias / weight + 0.0  # + 0.0 turns -0.0 into 0.0 for the labels
    out = {
        "xs": XS, "z": z, "sigmoid": sigmoid(z), "tanh": tanh(z), "plain_sigmoid": sigmoid(XS), "plain_tanh": tanh(XS),
        "weight": weight, "bias": bias, "x": x, "middle": middle, "at_x": None,
    }
    if x is not None:
        z_x = weight * float(x) + bias
        out["at_x"] = {"z": z_x, "sigmoid": float(sigmoid(z_x)), "tanh": float(tanh(z_x))}
    return out


def _formula(name, weight, bias):
    if weight == 1 and bias == 0:
        return f"{name}(x)"
    inner = "0" if weight == 0 else "x" if weight == 1 else "−x" if weight == -1 else f"{weight:g}·x"
    if bias != 0:
        inner = f"{bias:g}" if weight == 0 else f"{inner} {'+' if bias > 0 else '−'} {abs(bias):g}"
    return f"{name}({inner})"


def squash_draw(r):
    """Two panels, sigmoid and tanh of weight * x + bias; the plain curve dashed, the middle and x marked.

    No legend: labels sit where no curve can go (the title, and the band above the upper wall), so they never hide
    a curve, whatever the weight and bias. Every artist that depends on `r` is made here once and set by
    `squash_update`, so a live slider can redraw the figure in place.
    """
    fig = new_figure(6.4, 2.7)
    fig.set_layout_engine("none")  # fixed margins: a slider draws this dozens of times, and the layout engine is slow
    axes = fig.subplots(1, 2, gridspec_kw={"left": 0.085, "right": 0.985, "bottom": 0.17, "top": 0.9, "wspace": 0.3})
    for ax, name in zip(axes, ("sigmoid", "tanh")):
        lo, hi = RANGES[name]
        pad = 0.12 * (hi - lo)
        for level in (lo, hi):  # the walls the curve never crosses
            ax.axhline(level, color="0.35", lw=0.7, ls=":")
        ax.plot(r["xs"], r[f"plain_{name}"], color="0.6", lw=1, ls="--")
        ax.text(0.02, 0.985, f"grey dashes: plain {name}(x)", transform=ax.transAxes, fontsize=9, va="top",
                color="0.35")
        ax.set(xlabel="input x", xlim=(-6, 6), ylim=(lo - pad, hi + pad), ylabel=f"output, between {lo:g} and {hi:g}",
               xticks=range(-6, 7, 2), yticks=(lo, (lo + hi) / 2, hi))  # fixed ticks: fewer labels to lay out
        # What the weight, the bias and x change, in drawing order; squash_update sets them.
        ax.squash = {
            "curve": ax.plot(r["xs"], r[name], color=COLORS[name], lw=2.4)[0],
            "middle": ax.plot([], [], marker="D", ms=5, ls="none", color=OKABE_ITO["vermillion"])[0],
            "middle_label": ax.annotate("", (0, 0), xytext=(7, -4), textcoords="offset points", fontsize=9,
                                        color=OKABE_ITO["vermillion"], va="top"),
            "x_line": ax.plot([], [], color=OKABE_ITO["black"], lw=0.8)[0],
            "x_point": ax.plot([], [], "o", color=OKABE_ITO["black"], ms=6)[0],
            "x_label": ax.annotate("", (0, 0), xytext=(6, 6), textcoords="offset points", fontsize=9,
                                   fontweight="bold"),
            "title": ax.title,
        }
    squash_update(fig, r)
    return fig


def squash_update(fig, r):
    """Set the curves, marks and titles of a `squash_draw` figure to show `r`; return those artists."""
    artists = []
    for ax, name in zip(fig.axes, ("sigmoid", "tanh")):
        lo, hi = RANGES[name]
        pad = 0.12 * (hi - lo)
        part = ax.squash
        part["curve"].set_ydata(r[name])
        middle = r["middle"]
        shown = middle is not None and -6 <= middle <= 6
        mid_y = (lo + hi) / 2
        part["middle"].set_data([middle] if shown else [], [mid_y] if shown else [])
        # the label sits below the curve, right of the middle for a rising curve and left of it for a falling one;
        # it is hidden when an input is marked, whose line would cross it
        label = part["middle_label"]
        label.set_visible(shown and r["at_x"] is None)
        if shown:
            right = r["weight"] > 0
            label.set_text(f"middle\nx = {middle:.3g}")
            label.xy = (middle, mid_y)
            label.set_position((7 if right else -7, -4))
            label.set_horizontalalignment("left" if right else "right")
        marked = r["at_x"] is not None
        for key in ("x_line", "x_point", "x_label"):
            part[key].set_visible(marked)
        if marked:
            x, y = r["x"], r["at_x"][name]
            part["x_line"].set_data([x, x], [lo - pad, y])
            part["x_point"].set_data([x], [y])
            part["x_label"].set_text(f"{y:.3f}")
            part["x_label"].xy = (x, y)
            part["x_label"].set_position((-36 if x > 2 else 6, 6 if y < hi - 0.2 else -14))
        part["title"].set_text(_formula(name, r["weight"], r["bias"]))
        artists += [part[k] for k in ("curve", "middle", "middle_label", "x_line", "x_point", "x_label", "title")]
    return artists


def squash_alt(r):
    """The alt text of a picture of `squash_draw`: what the result `r` of `squash_compute` shows, in words."""
    if r["weight"] == 0:
        shape = (f"flat lines: with weight 0 the input does not matter, sigmoid stays at {r['sigmoid'][0]:.3f} "
                 f"and tanh at {r['tanh'][0]:.3f}")
    else:
        way = "rising" if r["weight"] > 0 else "falling"
        steep = abs(r["weight"])
        than = "steeper than" if steep > 1 else "gentler than" if steep < 1 else "as steep as"
        shape = f"{way} S-curves, {than} the plain ones, with their middle at x = {r['middle']:.3g}"
    text = f"sigmoid and tanh of {r['weight']:g} times x plus {r['bias']:g}: {shape}."
    if r["x"] is not None:
        text += (f" At input x = {r['x']:g}, sigmoid gives {r['at_x']['sigmoid']:.3f} and tanh gives "
                 f"{r['at_x']['tanh']:.3f}.")
    return text


def _squash_controls():
    """The live picture's free sliders: the weight, the bias and an input x."""
    def slider(value, low, high, name):
        return widgets.FloatSlider(value=value, min=low, max=high, step=0.1, description=name)

    return {"weight": slider(1.0, -3.0, 3.0, "weight w"), "bias": slider(0.0, -5.0, 5.0, "bias b"),
            "x": slider(1.0, -6.0, 6.0, "input x")}


# The weight and the bias (static: 5 x 3 frames from the plain curve; live: free, with an input x), redrawn in place
SQUASH = SliderPicture(
    squash_compute, squash_draw, squash_alt, update=squash_update,
    grid={"weight": list(WEIGHTS), "bias": list(BIASES)}, start={"weight": 1.0, "bias": 0.0},
    descriptions={"weight": "weight w", "bias": "bias b"}, label_format="{:g}", controls=_squash_controls,
)
# The input x on the plain curves (static only: the live picture above has an input slider of its own)
SQUASH_INPUT = replace(SQUASH, grid={"x": list(INPUTS)}, fixed={"weight": 1.0, "bias": 0.0}, start={"x": 1.0},
                       descriptions={"x": "input x"}, controls=None)


def gate_compute(value=3.0, zs=GATE_ZS):
    """A gate: value * sigmoid(z) for each z.

    Returns dict value, zs (K,), gate (K,) = sigmoid(zs) in (0, 1), passed (K,) = value * gate.
    """
    value = check_number("value", value)
    zs = np.atleast_1d(check_numbers("zs", zs))
    gate = sigmoid(zs)
    return {"value": float(value), "zs": zs, "gate": gate, "passed": float(value) * gate}


def gate_draw(r):
    """One bar per z: the whole value as an outline, the part that passes the gate filled."""
    fig = new_figure(6.4, 2.7)
    ax = fig.subplots()
    k = np.arange(len(r["zs"]))
    ax.bar(k, [r["value"]] * len(k), width=0.6, color="none", edgecolor="0.45", ls="--", label="the value")
    ax.bar(k, r["passed"], width=0.6, color=COLORS["sigmoid"], label="what passes: value × sigmoid(z)")
    for kk, (g, p) in enumerate(zip(r["gate"], r["passed"])):
        ax.annotate(f"{g:.0%} → {p:.2f}", (kk, p), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set(title=f"A gate lets a fraction of the value {r['value']:g} through", xticks=k,
           xticklabels=[f"z = {z:g}" for z in r["zs"]], xlabel="gate input z (how open the gate is)",
           ylabel="amount", ylim=(0, 1.35 * r["value"]))
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    return fig


# The exercises of the chapter

@exercise("refresher-1", wrong=2.0)
def _middle_with_bias(answer):
    x = number(answer)
    z = 1.0 * x + 2.0
    if abs(z) <= 1e-3:  # -2 as typed, or computed
        return Verdict(True, "At x = -2, 1·x + 2 = 0 and sigmoid(0) = 0.5: a bias of +2 moves the middle to the left.")
    if abs(x - 2.0) <= 1e-3:
        hint = "right size, wrong side: a positive bias adds to x, so the curve reaches its middle earlier (left)."
    else:
        hint = "sigmoid is 0.5 exactly where what goes into it is 0: solve 1·x + 2 = 0."
    return Verdict(False, f"At x = {shown(x)}, sigmoid(1·x + 2) = {shown_apart(sigmoid(z), 0.5)[0]}, not 0.5. "
                          f"Hint: {hint}")


@exercise("refresher-2", wrong=0.5)
def _flat_height(answer):
    y = number(answer)
    target = float(sigmoid(2.0))
    if abs(y - target) <= 0.005:
        return Verdict(True, f"With weight 0 the input is multiplied away: sigmoid(0·x + 2) = sigmoid(2) = "
                             f"{target:.3f} for every x, a flat line.")
    if abs(y - float(tanh(2.0))) <= 0.005:
        return Verdict(False, f"{shown(y)} is the height of the flat tanh line (tanh(2)); the question asks about "
                              "sigmoid.")
    if abs(y - 0.5) <= 0.005:
        return Verdict(False, "0.5 is sigmoid(0), the flat line for bias 0. Hint: with weight 0 the curve is "
                              "sigmoid(0·x + 2) = sigmoid(2) for every x: what is sigmoid(2)?")
    if not 0 < y < 1:
        return Verdict(False, f"A sigmoid lies strictly between 0 and 1, so its flat line cannot be at {shown(y)}. "
                              "Hint: with weight 0, every x gives sigmoid(0·x + 2) = sigmoid(2); compute `sigmoid(2)`.")
    return Verdict(False, f"{shown(y)} is not it. Hint: with weight 0, every x gives sigmoid(0·x + 2) = sigmoid(2); "
                          "compute `sigmoid(2)` or read the flat line's height off the picture.")


@exercise("refresher-3", wrong=0.9)
def _gate_for_ninety_percent(answer):
    z = number(answer)
    gate = float(sigmoid(z))
    if abs(10.0 * gate - 9.0) <= 0.01:
        return Verdict(True, f"sigmoid({z:.3f}) = {gate:.4f}, so the gate lets {10 * gate:.3f} of the 10 through. "
                             "(Exactly: z = ln(0.9 / 0.1) = ln 9 = 2.197.)")
    if abs(z - 0.9) < 1e-9:
        hint = "0.9 is the fraction you want out of the gate; z is what goes *into* sigmoid."
    elif abs(z - 9.0) < 1e-9:
        hint = "9 is what you want out of the gate; z is what goes *into* sigmoid."
    elif abs(z + np.log(9.0)) <= 0.005:
        hint = "the sign is flipped: sigmoid(-z) = 1 - sigmoid(z), so this z lets 10% through, not 90%."
    elif gate < 0.9:
        hint = "z must be larger: the gate opens as z grows."
    else:
        hint = "z must be smaller: the gate is too open."
    passed = shown_apart(10 * gate, 9.0)[0]
    return Verdict(False, f"With z = {shown(z)} the gate is sigmoid(z) = {shown(gate, 3)}, so {passed} of the 10 "
                          f"passes, not 9. Hint: {hint} Try a few values with `sigmoid`, or solve "
                          "1 / (1 + e^(-z)) = 0.9 for z.")
