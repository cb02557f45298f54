"""The README's claims about lstm_lite: its one-screen example runs as written and does what its comments say."""

import re
from pathlib import Path

import numpy as np

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_the_one_screen_example_runs_and_its_comments_hold():
    [code] = re.findall(r"## `lstm_lite` in one screen\n\n```python\n(.*?)```", README, re.S)
    names = {}
    exec(compile(code, "README.md", "exec"), names)  # our own README, as a reader would paste it
    cell, xs, one, trace, kept, grads = (names[k] for k in ("cell", "xs", "one", "trace", "kept", "grads"))
    np.testing.assert_allclose(one.h, trace.h[0], rtol=1e-12)  # one step is the first step of forward
    assert trace.h.shape == (10, 4) and xs.shape == (10, 3)
    np.testing.assert_array_equal(kept.c, np.zeros((10, 4)))  # forget 1, input 0: the belt carries c0 (zeros) along
    assert set(grads) >= {"weight_ih", "weight_hh", "bias_ih", "bias_hh", "x", "h0", "c0"}
    assert [name for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")] == list(cell.parameters())
