"""Exercises of chapter 6: the sushi train (the cell state as a conveyor belt)."""

import numpy as np

from ..lstm import LSTMCell
from ..pictures.sushi import half_life as belt_half_life
from . import Verdict, entries, exercise, number, numbers

PLATE_DISHES = np.array([0.4, -0.6, 0.9, 0.8, -0.5, 0.7, 0.3, -0.9, 0.6, -0.2, 0.5])[:, None]  # (11, 1)


def plate_cell():
    """One memory cell whose candidate is g = tanh(1.5 x); the gates are forced by the reader."""
    w_ih = np.zeros((4, 1))
    w_ih[2] = 1.5  # PyTorch's block order i, f, g, o: only the candidate reads the input
    return LSTMCell.from_torch(w_ih, np.zeros((4, 1)), np.zeros(4), np.zeros(4))


def plate_run(answer):
    """Run plate_cell over PLATE_DISHES with the gates of `answer` (dict forget/input/output -> 11 values)."""
    gates = {}
    for name in ("forget", "input", "output"):
        gates[name] = numbers(entries(answer, ("forget", "input", "output"))[name], shape=(11,))[:, None]  # (11, 1)
    return plate_cell().forward(PLATE_DISHES, **gates)


@exercise("sushi-1", wrong=0.95)
def _half_life_20(answer):
    f = number(answer)
    if not 0 < f < 1:
        return Verdict(False, f"A forget gate that lets a plate fade lies strictly between 0 and 1; you gave {f}.")
    half_life = belt_half_life(f)
    if abs(half_life - 20) <= 0.5:
        return Verdict(True, f"f = {f:.4f} halves a plate every {half_life:.1f} steps.")
    return Verdict(False, f"f = {f:.4f} gives a half-life of {half_life:.1f} steps, not 20. Hint: after 20 steps, "
                          "f to the power 20 must be 0.5, so f = 0.5 ** (1 / 20).")


@exercise("sushi-2", wrong={"forget": np.ones(11), "input": np.ones(11), "output": np.ones(11)})
def _plate_at_3_seen_at_10(answer):
    trace = plate_run(answer)
    c, h, g = trace.c[:, 0], trace.h[:, 0], trace.candidate[:, 0]
    if not np.isclose(c[3], g[3], rtol=0, atol=1e-9):
        return Verdict(False, f"After step 3 the belt holds {c[3]:.3f}, but the plate of step 3 is {g[3]:.3f}. "
                              "Hint: at step 3 write it in full (input 1) onto an empty belt (forget 0 at step 3, or "
                              "nothing written before).")
    if not np.isclose(c[10], g[3], rtol=0, atol=1e-9):
        return Verdict(False, f"At step 10 the belt holds {c[10]:.3f}, not the plate of step 3 ({g[3]:.3f}). "
                              "Hint: from step 4 to step 10, keep everything (forget 1) and write nothing (input 0).")
    shown = np.flatnonzero(np.abs(h[:10]) > 1e-9)
    if shown.size:
        return Verdict(False, f"The diner already sees something at step {shown[0]} (h = {h[shown[0]]:.3f}). "
                              "Hint: keep the output gate at 0 until step 10.")
    if not np.isclose(h[10], np.tanh(g[3]), rtol=0, atol=1e-9):
        return Verdict(False, f"At step 10 the diner sees h = {h[10]:.3f}; in full it would be tanh({g[3]:.3f}) = "
                              f"{np.tanh(g[3]):.3f}. Hint: open the output gate fully (1) at step 10.")
    return Verdict(True, f"The plate {g[3]:.3f} goes on at step 3, rides untouched to step 10, and only then does the "
                         f"diner see it, as h = tanh({g[3]:.3f}) = {h[10]:.3f}.")


@exercise("sushi-3", wrong=0.5)
def _output_for_half(answer):
    o = number(answer)
    if not 0 <= o <= 1:
        return Verdict(False, f"An output gate lies between 0 and 1; you gave {o}.")
    h = o * np.tanh(1.0)
    if abs(h - 0.5) <= 0.005:
        return Verdict(True, f"o = {o:.3f} shows h = {o:.3f} · tanh(1) = {h:.3f}.")
    if abs(o - 0.5) <= 0.005:
        return Verdict(False, "That would be right if the diner saw o · c. The diner sees o · tanh(c), and "
                              f"tanh(1) = {np.tanh(1.0):.3f}, so o = 0.5 shows only {h:.3f}.")
    return Verdict(False, f"o = {o:.3f} shows h = {o:.3f} · tanh(1) = {h:.3f}, not 0.5. "
                          "Hint: solve o · tanh(1) = 0.5 for o.")
