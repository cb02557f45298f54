"""Chapter NN (the chapter skeleton): the picture's numbers, what it draws, its static twin, the exercise's hints."""

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book.exercises import check
from lstm_book.figures import MIN_TEXT_PT, figure_to_png, smallest_text_pt
from lstm_book.my_chapter import SHARE, SLIDER_ZS, share_alt, share_compute, share_draw
from lstm_lite import sigmoid


def test_compute_is_the_share_a_gate_passes():
    r = share_compute(z=2.0, value=3.0)
    assert r["gate"] == float(sigmoid(2.0)) and r["passed"] == r["gate"] * 3.0
    np.testing.assert_array_equal(r["gates"], sigmoid(r["zs"]))
    assert share_compute(z=0.0)["gate"] == 0.5  # the middle of the curve: half passes
    with pytest.raises(TypeError, match="z must be a number"):
        share_compute(z="2")


def test_the_picture_has_a_title_labelled_axes_and_legible_text():
    fig = share_draw(share_compute(z=2.0))
    [ax] = fig.axes
    assert "88%" in ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert smallest_text_pt(fig) >= MIN_TEXT_PT


def test_the_alt_text_reads_the_numbers_it_is_given():
    assert "z = -2" in share_alt(share_compute(-2.0)) and f"{float(sigmoid(-2.0)):.0%}" in SHARE.text(z=-2.0)


def test_the_static_twin_shows_the_picture_of_the_value_the_slider_picks():
    twin = SHARE.static(link=widgets.link)  # as the notebook makes it, with a link that runs in Python
    assert twin.visible_frame() == figure_to_png(share_draw(share_compute(2.0)))  # a frame is the drawing of its value
    twin.slider.index = 0
    assert twin.visible_frame() == twin.frame(SLIDER_ZS[0]) != twin.frame(2.0)  # moving the slider moves the picture


@pytest.mark.parametrize("name, answer, ok, words", [
    ("my-chapter-1", 0.0, True, ["exactly half"]),
    ("my-chapter-1", 2.0, False, ["more than half", "0.8808"]),
    ("my-chapter-1", -1.0, False, ["less than half", "0.2689"]),
    ("my-chapter-2", 10 * float(sigmoid(2.0)), True, ["8.808"]),
    ("my-chapter-2", float(sigmoid(2.0)), False, ["the share", "how much of the 10"]),
    ("my-chapter-2", 5.0, False, ["5 is not it", "sigmoid(2)"]),
])
def test_each_branch_of_the_check_says_what_it_is_for(name, answer, ok, words):
    verdict = check(name, answer)
    assert verdict.ok is ok and all(w in verdict.message for w in words), verdict.message
