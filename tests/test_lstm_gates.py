"""Chapter 5, the LSTM's gates: the pictures, the sliders' wiring, the country cell and the chapter's claims."""

import itertools
from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book import lstm_gates as pic
from lstm_book.figures import LIVE_DPI, figure_to_png
from lstm_book.lstm_gates import counting_run, counting_sequence
from lstm_lite import LSTMCell


@pytest.fixture(scope="module")
def twins():
    """The two static twins, wired with widgets.link so that moving a control works in Python."""
    return (pic.GATES.static(link=widgets.link, note=False),  # as chapter 5 calls them: the walk-through has the note
            pic.CANDIDATE.static(link=widgets.link, note=False))


@pytest.fixture(scope="module")
def walk():
    """The walk-through of one step, wired with widgets.link."""
    return pic.WALK.static(link=widgets.link)


# --- the diagram -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", [None, *range(len(pic.WALK_STAGES))])
def test_diagram_names_the_four_parts_and_no_two_labels_overlap(stage):
    fig = pic.lstm_diagram() if stage is None else pic.walk_draw(pic.walk_compute(stage))
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.axes[0].texts if t.get_text().strip()]
    words = " ".join(t.get_text() for t in texts)
    for part in ("forget gate", "input gate", "candidate", "output gate", "tanh"):
        assert part in words
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"the labels {a!r} and {b!r} overlap"
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in boxes:  # nothing cut off at the edges
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, f"{text!r} leaves the figure"


# --- the walk-through of one step ------------------------------------------------------------------------------


def test_the_walk_through_numbers_are_the_cells_own():
    v = pic.walk_values()
    cell, x = pic.gate_demo_cell(), pic.gate_demo_inputs()[0]
    one = cell.step(x, h=np.zeros(3), c=pic.DEMO_C0)
    for key, name in (("f", "forget"), ("i", "input"), ("g", "candidate"), ("o", "output"), ("c", "c"), ("h", "h")):
        assert v[key] == getattr(one, name)[0], key  # memory cell 1, the very numbers of step
    assert v["x"] == x[0] and v["c_prev"] == pic.DEMO_C0[0] and np.array_equal(v["h_prev"], np.zeros(3))
    assert v["kept"] + v["written"] == pytest.approx(v["c"], abs=1e-15)
    assert v["o"] * v["tanh_c"] == pytest.approx(v["h"], abs=1e-15)
    trace = cell.forward(pic.gate_demo_inputs(), c0=pic.DEMO_C0)  # ... and of the chapter's run, at t = 0
    assert v["c"] == pytest.approx(trace.c[0, 0], abs=1e-12) and v["h"] == pytest.approx(trace.h[0, 0], abs=1e-12)


def test_each_part_of_the_walk_through_shows_its_numbers_and_differs(walk):
    v = pic.walk_values()
    assert walk.values == list(range(8)) and len(set(walk.frames)) == 8  # every stage draws another picture
    assert [label for label, _ in walk.slider.options] == [stage[0] for stage in pic.WALK_STAGES]
    assert walk.note is not None  # the first static picture of the chapter says it was drawn in advance
    for stage, wanted in ((2, ["f"]), (3, ["i", "g"]), (4, ["kept"]), (5, ["written", "c"]), (6, ["o"]),
                          (7, ["tanh_c", "h"])):
        r = pic.walk_compute(stage)
        assert r["values"].keys() == v.keys() and all(np.array_equal(r["values"][k], v[k]) for k in v)  # one step
        fig = pic.walk_draw(r)
        texts = " ".join(t.get_text() for t in fig.axes[0].texts)
        alt = pic.walk_alt(r)
        for key in wanted:
            assert f"{v[key]:.2f}" in texts and f"{v[key]:.2f}" in alt, (stage, key)
        later = [k for k, shown in pic.WALK_SHOWN_FROM.items() if shown > stage and k != "h_prev"]
        assert not any(f"= {v[k]:.2f}" in texts for k in later if f"{v[k]:.2f}" not in alt), stage  # not yet
    assert "0.80" in pic.WALK.text(stage=1) and "Diagram of one LSTM step" in pic.WALK.text(stage=0)
    walk.slider.index = 5
    assert walk.visible_frame() == walk.frame(5) == figure_to_png(pic.walk_draw(pic.walk_compute(5)))
    assert len({pic.WALK.text(stage=k) for k in range(8)}) == 8


def test_the_walk_through_lights_one_part_at_a_time():
    from matplotlib.colors import to_hex

    def colours(fig):
        return {to_hex(p.get_edgecolor()) for p in fig.axes[0].patches}

    whole, forget, output = (colours(pic.WALK.figure(stage=k)) for k in (0, 2, 6))
    gate = {name: to_hex(c) for name, c in pic.GATE_COLORS.items()}
    assert {gate["forget"], gate["input"], gate["candidate"], gate["output"]} <= whole
    assert gate["forget"] in forget and not {gate["input"], gate["candidate"], gate["output"]} & forget
    assert gate["output"] in output and gate["forget"] not in output


# --- compute: forced gates reach the model ---------------------------------------------------------------------


def test_forced_gates_reach_the_cell():
    trace = pic.gates_compute(forget=0.3, output=1.0)
    assert trace.forced == ("forget", "output")
    assert np.all(trace.forget == 0.3) and np.all(trace.output == 1.0)
    np.testing.assert_allclose(trace.h, np.tanh(trace.c), rtol=1e-12)
    computed = pic.gates_compute()
    assert computed.forced == () and not np.allclose(computed.forget, 0.3)


def test_keep_gate_and_write_gate_do_what_the_chapter_says():
    keep = pic.gates_compute(forget=1.0, input=0.0)
    assert np.array_equal(keep.c, np.tile(pic.DEMO_C0, (12, 1)))  # kept whole, nothing written
    write = pic.gates_compute(forget=0.0, input=1.0)
    np.testing.assert_allclose(write.c, write.candidate, rtol=1e-12)  # erased, then the candidate written in full
    both = pic.gates_compute(forget=1.0, input=1.0)
    np.testing.assert_allclose(both.c, pic.DEMO_C0 + np.cumsum(both.candidate, axis=0), rtol=1e-12)
    assert both.c.max() > 5 and np.abs(both.h).max() < 1  # the belt leaves (-1, 1), h does not


def test_compute_defaults_and_another_cell():
    cell = LSTMCell(2, 4, seed=3)
    xs = np.random.default_rng(0).normal(size=(5, 2))
    trace = pic.gates_compute(input=0.0, cell=cell, xs=xs)
    assert trace.c.shape == (5, 4) and np.all(trace.c == 0)  # another cell starts from zeros, and input 0 writes none
    assert trace.forget[1].round(2).tolist() != pic.gates_compute().forget[1].round(2).tolist()
    assert pic.gates_compute().forget[1].round(2).tolist() == [0.96, 0.58, 0.73]  # the numbers in the prose


# --- draw: what is drawn is what was computed ------------------------------------------------------------------


def test_draw_shows_the_trace_and_marks_forced_gates():
    trace = pic.gates_compute(forget=1.0)
    fig = pic.gates_draw(trace)
    top, gates_ax, c_ax, h_ax = fig.axes
    lines = gates_ax.get_lines()[:4]
    for line, name in zip(lines, ("input", "forget", "candidate", "output")):  # PyTorch's order
        np.testing.assert_array_equal(line.get_ydata(), getattr(trace, name)[:, 0])
        assert (line.get_linestyle() == "-") == (name not in trace.forced)
    for k in range(3):
        np.testing.assert_array_equal(c_ax.get_lines()[k].get_ydata(), trace.c[:, k])
        np.testing.assert_array_equal(h_ax.get_lines()[k].get_ydata(), trace.h[:, k])
    assert "forget forced to 1" in fig.get_suptitle()
    assert all(ax.get_xlabel() for ax in (gates_ax, c_ax, h_ax)) and top.get_ylabel()


def test_every_static_frame_keeps_the_same_cell_state_axis(twins):
    grid, second = twins
    for key in grid.values:
        trace = pic.gates_compute(**dict(zip(grid.names, key)))
        assert np.abs(trace.c).max() < pic.C_LIMIT
    for key in second.values:
        assert np.abs(pic.gates_compute(**dict(zip(second.names, key))).c).max() < pic.CANDIDATE_C_LIMIT


def test_draw_widens_the_axis_rather_than_clip():
    trace = pic.gates_compute(forget=1.0, input=1.0, output=0.0)  # h = 0 changes the gates: c goes past C_LIMIT
    assert np.abs(trace.c).max() > pic.C_LIMIT
    fig = pic.gates_draw(trace)
    low, high = fig.axes[2].get_ylim()
    assert high >= np.abs(trace.c).max() and low <= -np.abs(trace.c).max()


# --- the static twins ------------------------------------------------------------------------------------------


def test_static_twins_have_sliders_and_stay_light(twins, walk):
    grid, second = twins
    assert grid.names == ("input", "forget") and second.names == ("candidate", "output")  # every part can be moved
    n_second = len(pic.CANDIDATE_CHOICES) * len(pic.OUTPUT_CHOICES)
    assert len(grid.frames) == 16 and len(second.frames) == n_second
    assert all(isinstance(c, widgets.SelectionSlider) for c in [*grid.controls.values(), *second.controls.values()])
    assert grid.controls["forget"].options[0][0] == "computed"
    assert [label for label, _ in grid.controls["input"].options] == ["computed", "0.00", "0.50", "1.00"]
    assert [label for label, _ in second.controls["candidate"].options] == ["computed", "-1.00", "0.00", "1.00"]
    assert len(set(grid.frames)) == 16 and len(set(second.frames)) == n_second  # every choice draws another picture
    assert grid.note is None and second.note is None  # note=False: the walk-through above said it for the page
    assert replace(pic.GATES, grid={"input": [None], "forget": [None]}).static(link=widgets.link).note is not None
    assert grid.nbytes + second.nbytes + walk.nbytes < 1.6 * 2**20  # the page's budget is 3 MB for everything


def test_moving_a_slider_changes_the_picture(twins):
    grid, second = twins
    grid.controls["input"].index = 0
    grid.controls["forget"].index = 0
    before = grid.visible_frame()
    grid.controls["input"].index = pic.INPUT_CHOICES.index(0.5)
    grid.controls["forget"].index = pic.GATE_CHOICES.index(1.0)
    assert grid.visible_frame() != before
    assert grid.visible_frame() == grid.frame(0.5, 1.0)  # input 0.5, forget 1
    second.controls["candidate"].index = pic.CANDIDATE_CHOICES.index(-1.0)
    second.controls["output"].index = pic.OUTPUT_CHOICES.index(0.0)
    assert second.visible_frame() == second.frame(-1.0, 0.0)


def test_precomputed_frames_equal_a_live_computation(twins):
    grid, second = twins
    for input, forget in [(None, None), (0.0, 1.0), (1.0, 0.5)]:
        live = figure_to_png(pic.gates_draw(pic.gates_compute(input=input, forget=forget)))
        assert grid.frame(input, forget) == live
    for candidate, output in [(None, None), (-1.0, 1.0), (1.0, 0.0)]:
        live = figure_to_png(pic.candidate_draw(pic.gates_compute(candidate=candidate, output=output)))
        assert second.frame(candidate, output) == live


def test_alt_text_says_which_gates_are_forced():
    alt = pic.GATES.text(forget=1.0, input=None)
    assert "forget gate forced to 1" in alt and "input gate computed" in alt and "candidate computed" in alt
    assert "c = 0.80" in pic.GATES.text(forget=1.0, input=0.0)
    assert "forget gate forced to 0.5" in pic.gates_alt(pic.gates_compute(forget=0.5))  # read off the trace drawn
    alt = pic.CANDIDATE.text(candidate=-1.0, output=None)
    assert "candidate forced to -1" in alt and "output gate computed" in alt
    assert f"c = {pic.gates_compute(candidate=-1.0).c[-1, 0]:.2f}" in alt


def test_candidate_picture_shows_the_candidate_forced_dashed():
    trace = pic.gates_compute(candidate=1.0, output=0.5)
    fig = pic.candidate_draw(trace)
    gates_ax, state_ax = fig.axes
    for line, name in zip(gates_ax.get_lines()[:4], ("input", "forget", "candidate", "output")):
        np.testing.assert_array_equal(line.get_ydata(), getattr(trace, name)[:, 0])
        assert (line.get_linestyle() == "-") == (name not in trace.forced)
    np.testing.assert_array_equal(state_ax.get_lines()[0].get_ydata(), trace.c[:, 0])
    np.testing.assert_array_equal(state_ax.get_lines()[1].get_ydata(), trace.h[:, 0])
    assert fig.get_suptitle() == "candidate forced to 1, output gate forced to 0.5"
    assert "g: candidate (forced)" in [t.get_text() for t in fig.legends[0].texts]


def test_live_version_passes_forced_gates_to_compute():
    seen = []
    real = pic.gates_compute

    def spy(**kw):
        seen.append(kw)
        return real(**kw)

    box = replace(pic.GATES, compute=spy).live()
    controls = {w.description: w for w in box.children if hasattr(w, "description")}
    seen.clear()
    controls["forget gate"].value = 0.25
    assert seen and seen[-1]["forget"] is None  # a slider alone does not force the gate
    controls["force the forget gate"].value = True
    assert seen[-1] == {"forget": 0.25, "input": None, "output": None, "candidate": None}
    controls["input gate"].value = 0.0
    controls["force the input gate"].value = True
    assert seen[-1] == {"forget": 0.25, "input": 0.0, "output": None, "candidate": None}
    assert (controls["candidate"].min, controls["candidate"].max) == (-1.0, 1.0)  # a tanh's range
    controls["candidate"].value = -0.5
    controls["force the candidate"].value = True
    assert seen[-1] == {"forget": 0.25, "input": 0.0, "output": None, "candidate": -0.5}


def test_a_slider_whose_part_is_computed_says_it_is_idle():
    """Moving the slider of a part the cell computes changes nothing: it is greyed out and its tooltip says why."""
    box = pic.GATES.live()
    controls = {w.description: w for w in box.children if hasattr(w, "description")}
    for word in ("input gate", "forget gate", "output gate", "candidate"):
        slider, forced = controls[word], controls[f"force the {word}"]
        assert slider.disabled and slider.tooltip.startswith("idle: the cell computes the " + word)
        assert f"tick 'force the {word}'" in slider.tooltip
        forced.value = True
        assert not slider.disabled and "set by this slider" in slider.tooltip
        forced.value = False
        assert slider.disabled


# --- the live version, redrawn in place --------------------------------------------------------------------------

# forced/computed combinations: the legend and the dashes change, a gate is forced to a value no frame has, the
# belt runs past C_LIMIT (wider c axis: the figure is built anew) and back, and wordings come back (kept legends)
LIVE_CASES = [{"forget": 1.0}, {"forget": 0.0, "input": 1.0}, {"output": 0.5},
              {"forget": 0.5, "input": 0.0, "output": 1.0}, {}, {"input": 0.35, "output": 0.8},
              {"forget": 1.0, "input": 1.0, "output": 0.0}, {"forget": 1.0, "input": 1.0}, {"forget": 0.25},
              {"forget": 1.0}, {"output": 0.5}, {"candidate": -0.6, "output": 0.5}, {"candidate": 1.0}]


def test_a_gate_figure_redrawn_in_place_shows_what_a_new_one_shows():
    from conftest import picture_difference

    from lstm_book.sliders import FastFigure

    fast = FastFigure(pic.gates_draw, pic.gates_update, pic.gates_compute())
    for kw in LIVE_CASES:
        trace = pic.gates_compute(**kw)
        mean, p99 = picture_difference(fast.png(trace), figure_to_png(pic.gates_draw(trace), dpi=LIVE_DPI, palette=False))
        assert mean < 0.5 and p99 < 30, (kw, mean, p99)
    forced, computed = (figure_to_png(pic.gates_draw(pic.gates_compute(forget=v)), dpi=LIVE_DPI, palette=False) for v in (1.0, None))
    assert picture_difference(fast.png(pic.gates_compute(forget=1.0)), computed)[0] > 1  # the comparison can tell
    assert picture_difference(fast.png(pic.gates_compute(forget=1.0)), forced)[0] < 0.5


def test_update_sets_what_the_trace_changes_and_asks_for_a_new_figure_for_a_wider_belt():
    fig = pic.gates_draw(pic.gates_compute())
    artists = pic.gates_update(fig, pic.gates_compute())
    trace = pic.gates_compute(input=0.0, forget=0.5)
    again = pic.gates_update(fig, trace)
    assert again is not None and len(again) == len(artists) and all(a is b for a, b in zip(again, artists))
    _, gates_ax, c_ax, h_ax = fig.axes
    for line, name in zip(gates_ax.get_lines()[:4], ("input", "forget", "candidate", "output")):
        np.testing.assert_array_equal(line.get_ydata(), getattr(trace, name)[:, 0])
        assert (line.get_linestyle() == "-") == (name not in trace.forced) and line in artists
    for k in range(3):
        np.testing.assert_array_equal(c_ax.get_lines()[k].get_ydata(), trace.c[:, k])
        np.testing.assert_array_equal(h_ax.get_lines()[k].get_ydata(), trace.h[:, k])
    assert fig.get_suptitle() == pic.gates_draw(trace).get_suptitle()
    assert fig.get_suptitle() == "input forced to 0, forget forced to 0.5, candidate computed, output computed"
    assert [t.get_text() for t in fig.legends[0].texts][:4] == ["i: input (forced)", "f: forget (forced)",
                                                                 "g: candidate", "o: output"]
    wide = pic.gates_compute(forget=1.0, input=1.0, output=0.0)
    assert pic.gates_update(fig, wide) is None  # gates_draw would widen the c axis: build the figure anew
    wide_fig = pic.gates_draw(wide)
    assert pic.gates_update(wide_fig, wide) is not None
    assert pic.gates_update(wide_fig, pic.gates_compute()) is None  # and narrow it back


def test_what_update_leaves_out_does_not_depend_on_the_trace():
    from lstm_book.sliders import FastFigure

    one = FastFigure(pic.gates_draw, pic.gates_update, pic.gates_compute())
    other = FastFigure(pic.gates_draw, pic.gates_update, pic.gates_compute(forget=0.5, input=1.0, output=0.0))
    assert np.array_equal(np.asarray(one.background), np.asarray(other.background))


def test_the_live_slider_is_fast_and_moving_it_reaches_the_picture():
    from conftest import picture_difference

    box = pic.GATES.live()
    shown = []
    box.picture.observe(lambda change: shown.append(change["new"]), names="value")  # what the reader sees
    controls = {w.description: w for w in box.children if hasattr(w, "description")}
    assert controls["forget gate"].continuous_update  # fast enough to follow the mouse
    controls["force the forget gate"].value = True
    controls["forget gate"].value = 0.25
    expected = figure_to_png(pic.gates_draw(pic.gates_compute(forget=0.25)), dpi=LIVE_DPI, palette=False)
    assert picture_difference(shown[-1], expected)[0] < 0.5
    controls["force the output gate"].value = True
    controls["output gate"].value = 0.0
    controls["force the input gate"].value = True  # forget 0.25, input 1, output 0
    expected = figure_to_png(pic.gates_draw(pic.gates_compute(forget=0.25, input=1.0, output=0.0)), dpi=LIVE_DPI, palette=False)
    assert picture_difference(shown[-1], expected)[0] < 0.5
    assert picture_difference(shown[-1], figure_to_png(pic.gates_draw(pic.gates_compute()), dpi=LIVE_DPI, palette=False))[0] > 1


# --- the country cell ------------------------------------------------------------------------------------------


def test_country_sentence_is_one_hot_on_the_words_that_matter():
    xs = pic.country_sentence()
    words = pic.COUNTRY_SENTENCE
    assert xs.shape == (19, 3)
    for t, w in enumerate(words):
        expected = np.zeros(3)
        if w in pic.COUNTRY_FEATURES:
            expected[pic.COUNTRY_FEATURES.index(w)] = 1
        assert np.array_equal(xs[t], expected)


def test_forget_gate_closes_exactly_at_the_new_country():
    trace = pic.country_compute()
    words = pic.COUNTRY_SENTENCE
    closed = [words[t] for t in np.flatnonzero(trace.forget[:, 0] < 0.5)]
    assert closed == ["France", "Spain"]
    assert pic.spoken_language(trace) == [(7, "French"), (17, "Spanish")]
    spain = words.index("Spain")
    assert trace.c[spain - 1, 0] > 0.9 and trace.c[spain, 0] < 0.01


def test_country_cell_follows_any_sentence():
    words = tuple("Spain . speak . France . speak . Spain . I speak".split())
    trace = pic.country_compute(words=words)
    assert [lang for _, lang in pic.spoken_language(trace, words)] == ["Spanish", "French", "Spanish"]


def test_without_a_forget_gate_the_cell_cannot_tell():
    trace = pic.country_compute(forget=1.0)
    assert np.isclose(trace.h[17, 0], trace.h[17, 1], rtol=0, atol=1e-9)
    assert trace.h[17, 0] > 0.7
    assert pic.spoken_language(trace) == [(7, "French"), (17, pic.TIE)]


def test_country_draw_marks_the_languages():
    trace = pic.country_compute()
    fig = pic.country_draw(trace)
    notes = [t.get_text() for t in fig.axes[2].texts]
    assert notes == ["→ French", "Spanish →"]  # near the right edge a label ends at its point
    fig.canvas.draw()
    inside = fig.axes[2].get_window_extent()
    for note in fig.axes[2].texts:  # no label runs past the axes
        box = note.get_window_extent()
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, note.get_text()
    tie = pic.country_draw(pic.country_compute(forget=1.0))
    tie.canvas.draw()
    assert all(t.get_window_extent().x1 <= tie.axes[2].get_window_extent().x1 for t in tie.axes[2].texts)
    assert [t.get_text() for t in fig.axes[2].get_xticklabels()] == list(pic.COUNTRY_SENTENCE)


# --- the counting exercise -------------------------------------------------------------------------------------


def test_the_counting_solution_counts_and_a_leaky_belt_does_not():
    xs = counting_sequence()
    assert set(np.unique(xs)) == {0.0, 1.0} and xs.shape == (30, 1)
    count = np.cumsum(xs[:, 0])
    good = counting_run({"forget": 1.0, "input": 1.0, "w": 3.0, "b": 0.0}, xs)
    assert np.abs(good.c[:, 0] - count).max() < 0.5
    leaky = counting_run({"forget": 0.9, "input": 1.0, "w": 3.0, "b": 0.0}, xs)
    assert np.abs(leaky.c[:, 0] - count).max() > 0.5
    assert good.forced == ("input", "forget", "output")
