"""The slider plumbing of lstm_book.sliders, headless: static twins and live plots.

In Python the static twin is wired with `widgets.link` (jslink only runs in a browser; tests/test_site.py moves the
real jslink-ed sliders of the built site in Chromium).
"""

import base64
import io
import re

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from lstm_book.figures import LIVE_DPI, figure_to_png, new_figure
from lstm_book.sliders import live_plot, png_html, slider_timings, static_grid, static_slider


def line(slope, offset=0.0):
    fig = new_figure(2, 1.5)
    ax = fig.subplots()
    x = np.linspace(0, 1, 5)
    ax.plot(x, slope * x + offset)
    ax.set(ylim=(-3, 3), title=f"slope {slope}")
    return fig


def test_static_slider_shows_the_frame_of_its_value():
    fig = static_slider(line, [-2.0, 0.0, 2.0], description="slope", alt=lambda v: f"a line of slope {v}",
                        link=widgets.link)
    assert fig.visible_frame() == fig.frame(-2.0) == figure_to_png(line(-2.0))  # precomputed = computed now
    fig.slider.index = 2
    assert fig.stack.selected_index == 2 and fig.visible_frame() == figure_to_png(line(2.0))
    assert len(set(fig.frames)) == 3 and fig.nbytes == sum(map(len, fig.frames))
    html = fig.stack.children[2].value
    assert 'alt="a line of slope 2.0"' in html
    png = base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1))
    assert png == fig.frame(2.0)  # the page carries exactly the frame


def test_static_grid_links_every_control_to_its_level_of_stacks():
    fig = static_grid(lambda slope, offset: line(slope, offset), {"slope": [0.0, 1.0], "offset": [-1.0, 1.0]},
                      alt="a line", link=widgets.link)
    assert len(fig.frames) == 4
    fig.controls["slope"].index = 1
    fig.controls["offset"].index = 1
    assert fig.visible_frame() == fig.frame(1.0, 1.0) == figure_to_png(line(1.0, 1.0))
    fig.controls["slope"].index = 0
    assert fig.visible_frame() == fig.frame(0.0, 1.0)


def test_the_pictures_a_control_switches_between_keep_one_size():
    """Chapter 8's "code" control once switched between pictures 568 and 707 px tall: the page jumped. Every frame
    is now on a white canvas of the largest frame's size, the picture itself at the top left, pixel for pixel, and
    its smallest text still recorded."""
    from lstm_book.figures import SMALLEST_TEXT

    def tall(lines):
        fig = new_figure(2 + lines / 4, 0.5 + lines / 2)
        fig.text(0.1, 0.5, "\n".join(f"line {k}" for k in range(lines)), fontsize=8 + lines)
        return fig

    fig = static_slider(tall, [1, 3, 2], description="lines", alt=lambda v: f"{v} lines", link=widgets.link)
    sizes = {Image.open(io.BytesIO(f)).size for f in fig.frames}
    alone = [figure_to_png(tall(v)) for v in (1, 3, 2)]
    assert sizes == {Image.open(io.BytesIO(alone[1])).size}  # the largest, three lines
    assert fig.frames[1] == alone[1]  # the largest is kept as it was drawn
    for frame, drawn in zip(fig.frames, alone):
        shown, own = Image.open(io.BytesIO(frame)), Image.open(io.BytesIO(drawn))
        assert shown.info[SMALLEST_TEXT] == own.info[SMALLEST_TEXT]
        top_left = np.asarray(shown.convert("RGB"))[: own.height, : own.width].astype(int)
        assert np.abs(top_left - np.asarray(own.convert("RGB"))).max() <= 5  # a palette of 256 colours, again
        rest = np.asarray(shown.convert("RGB")).copy()
        rest[: own.height, : own.width] = 255
        assert rest.min() == 255  # white around it


def test_static_slider_starts_at_the_value_asked_for():
    fig = static_slider(line, [0.0, 1.0, 2.0], description="slope", alt="a line", link=widgets.link, value=1.0)
    assert fig.slider.index == 1 and fig.visible_frame() == fig.frame(1.0)


def test_the_website_version_is_linked_in_the_browser_by_default():
    fig = static_slider(line, [0.0, 1.0], description="slope", alt="a line")
    [link] = fig.links
    assert isinstance(link, widgets.widget_link.Link)  # a widget model that the page's JavaScript runs, not a Python callback
    assert link.source == (fig.slider, "index") and link.target == (fig.stack, "selected_index")


def test_the_note_is_there_unless_the_page_said_it_already():
    first = static_slider(line, [0.0, 1.0], description="slope", alt="a line", link=widgets.link)
    assert first.note in first.children and "drawn in advance: this one is one of 2" in first.note.value
    assert "lstm-note-site" in first.note.value and "lstm-note-notebook" in first.note.value  # website and notebook
    later = static_grid(lambda slope, offset: line(slope, offset), {"slope": [0.0, 1.0], "offset": [-1.0, 1.0]},
                        alt="a line", link=widgets.link, note=False)
    assert later.note is None and not any("drawn in advance" in getattr(w, "value", "") for w in later.children
                                          if isinstance(w, widgets.HTML))
    assert later.children[-1] is later.stack and later.visible_frame() == later.frame(0.0, -1.0)  # the picture stays


def test_a_slider_can_show_words_of_its_own_for_its_values():
    fig = static_slider(line, [0, 1, 2], description="part", alt="a line", link=widgets.link,
                        labels=["flat", "up", "steep"])
    assert isinstance(fig.slider, widgets.SelectionSlider)  # still a slider (words as values would give buttons)
    assert [label for label, _ in fig.slider.options] == ["flat", "up", "steep"]
    fig.slider.index = 2
    assert fig.visible_frame() == fig.frame(2) == figure_to_png(line(2))
    with pytest.raises(ValueError, match="3 values but 2 labels"):
        static_slider(line, [0, 1, 2], description="part", alt="a line", labels=["flat", "up"])


def test_every_picture_needs_alt_text():
    with pytest.raises(ValueError, match="alt text"):
        png_html(b"png", alt="  ")
    with pytest.raises(ValueError, match="alt text"):
        static_slider(line, [0.0], description="slope", alt="", link=widgets.link)


def test_bad_grids_and_labels_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="non-empty"):
        static_grid(line, {"slope": []}, alt="a line")
    with pytest.raises(ValueError, match="label_format"):
        static_slider(line, [0.001, 0.002], description="slope", alt="a line", label_format="{:.1f}")


def test_live_plot_redraws_when_a_control_moves():
    slider = widgets.FloatSlider(value=0.0, min=-2, max=2)
    computed, drawn = [], []

    def compute(slope):
        computed.append(slope)
        return slope

    def draw(slope):
        drawn.append(slope)
        return line(slope)

    box = live_plot(compute, draw, {"slope": slider}, alt=lambda slope: f"a line of slope {slope}")
    assert box.picture.tooltip == "a line of slope 0.0"  # the image's title: the name a screen reader reads
    slider.value = 1.5
    assert box.picture.tooltip == "a line of slope 1.5"
    assert computed[-1] == drawn[-1] == 1.5  # the move reached compute and draw
    box.update()
    assert len(drawn) >= 3 and drawn[-1] == 1.5
    first = Image.open(io.BytesIO(box.png(slope=slider.value))).height
    frame = next(c for c in box.children if isinstance(c, widgets.Box) and box.picture in c.children)
    assert frame.layout.min_height == f"{first + 8}px"  # as tall as the picture: no jump, nothing cut off
    assert box.picture.value == box.png(slope=1.5)  # the move went into the one picture, not a new one
    assert slider.style.description_width == "initial"  # the description is shown whole
    assert slider in box.children


def test_live_plot_keeps_the_last_picture_and_raises_an_error_of_compute():
    """Outside a kernel an error of compute is raised (in one, its Output shows the traceback under the picture),
    and the picture stays the last one drawn."""
    slider = widgets.FloatSlider(value=0.0, min=-2, max=2)

    def compute(slope):
        if slope > 1:
            raise ValueError(f"too steep: {slope}")
        return slope

    box = live_plot(compute, line, {"slope": slider}, alt=lambda slope: "a line")
    slider.value = 0.5
    kept = box.picture.value
    with pytest.raises(ValueError, match="too steep: 1.5"):
        slider.value = 1.5
    assert box.picture.value == kept
    slider.value = -1.0
    assert box.picture.value == box.png(slope=-1.0) != kept


def test_a_live_picture_without_words_is_refused():
    slider = widgets.FloatSlider(value=0.0, min=-2, max=2)
    with pytest.raises(ValueError, match="a live picture needs alt=callable"):
        live_plot(lambda slope: slope, line, {"slope": slider})


def test_slider_timings_are_medians_in_milliseconds():
    t = slider_timings(lambda slope: slope, lambda slope: line(slope), [dict(slope=s) for s in (0.0, 1.0)], repeats=3)
    assert set(t) == {"compute_ms", "redraw_ms"} and 0 <= t["compute_ms"] < t["redraw_ms"]


def line_update(fig, slope):
    """Redraw `line` in place: its one curve and its title."""
    ax = fig.axes[0]
    [curve] = ax.lines
    x = curve.get_xdata()
    curve.set_ydata(slope * x)
    ax.title.set_text(f"slope {slope}")
    return [curve, ax.title]


def test_a_figure_redrawn_in_place_shows_what_a_new_one_shows():
    from conftest import picture_difference, pixels_apart

    from lstm_book.sliders import FastFigure

    fast = FastFigure(line, line_update, 0.5)
    for slope in (2.0, -1.0, 0.5):
        png, fresh = fast.png(slope), figure_to_png(line(slope), dpi=LIVE_DPI, palette=False)
        mean, p99 = picture_difference(png, fresh)
        assert mean < 0.5 and p99 < 30 and pixels_apart(png, fresh) <= 10, (slope, mean, p99)
    assert picture_difference(fast.png(2.0), figure_to_png(line(-1.0), dpi=LIVE_DPI, palette=False))[0] > 1  # and the comparison can tell


def test_live_plot_with_update_redraws_in_place():
    from conftest import picture_difference

    slider = widgets.FloatSlider(value=0.5, min=-2, max=2)
    box = live_plot(lambda slope: slope, line, {"slope": slider}, update=line_update, alt=lambda slope: "a line")
    assert picture_difference(box.png(slope=1.5), figure_to_png(line(1.5), dpi=LIVE_DPI, palette=False))[0] < 0.5


# -- one declaration, both pictures ------------------------------------------------------------------------------


def counted_line():
    """A SliderPicture of `line` whose compute counts its calls, and the list of what alt was given."""
    from lstm_book.sliders import SliderPicture

    calls, said = [], []

    def compute(slope, offset=0.0):
        calls.append((slope, offset))
        return {"slope": slope, "offset": offset, "top": slope + offset}  # what the picture shows, and alt reads

    def alt(r):
        said.append(r)
        return f"a line of slope {r['slope']:g} ending at {r['top']:g}"

    def controls():
        return {"slope": widgets.FloatSlider(value=0.5, min=-2, max=2, description="slope")}

    picture = SliderPicture(compute, lambda r: line(r["slope"], r["offset"]), alt, grid={"slope": [-1.0, 0.0, 2.0]},
                            fixed={"offset": 1.0}, start={"slope": 0.0}, descriptions={"slope": "slope s"},
                            label_format="{:g}", controls=controls)
    return picture, calls, said


def test_one_declaration_gives_the_static_twin_and_the_live_picture_of_the_same_result():
    picture, calls, said = counted_line()
    twin = picture.static(link=widgets.link)
    assert calls == [(-1.0, 1.0), (0.0, 1.0), (2.0, 1.0)]  # once per frame, the fixed value passed
    assert said == [{"slope": v, "offset": 1.0, "top": v + 1.0} for v in (-1.0, 0.0, 2.0)]  # alt read each result
    assert twin.slider.description == "slope s" and [label for label, _ in twin.slider.options] == ["-1", "0", "2"]
    assert twin.visible_frame() == twin.frame(0.0) == figure_to_png(line(0.0, 1.0))  # starts where it says
    assert 'alt="a line of slope 2 ending at 3"' in twin.stack.children[2].value
    assert twin.note is not None and picture.static(note=False, link=widgets.link).note is None

    calls.clear(), said.clear()
    live = picture.live()
    slider = next(c for c in live.children if isinstance(c, widgets.FloatSlider))
    assert calls == [(0.5, 1.0)] and live.picture.tooltip == "a line of slope 0.5 ending at 1.5"
    slider.value = 1.5
    assert calls == [(0.5, 1.0), (1.5, 1.0)]  # one computation a move: the alt reads its result
    assert said[-1] == {"slope": 1.5, "offset": 1.0, "top": 2.5} and live.picture.tooltip.endswith("ending at 2.5")
    assert live.picture.value == figure_to_png(line(1.5, 1.0), dpi=LIVE_DPI, palette=False)
    assert picture.text(slope=2.0) == "a line of slope 2 ending at 3"
    assert figure_to_png(picture.figure(slope=2.0)) == twin.frame(2.0)


def test_a_live_picture_can_choose_what_its_controls_mean():
    """Chapter 5: a box beside a slider says whether the slider forces its gate; `choose` turns the controls' values
    into compute's arguments."""
    from dataclasses import replace

    picture, calls, _ = counted_line()

    def controls():
        return {"slope": widgets.FloatSlider(value=2.0), "use": widgets.Checkbox(value=False)}

    live = replace(picture, controls=controls,
                   choose=lambda slope, use: {"slope": slope if use else 0.0}).live()
    box = next(c for c in live.children if isinstance(c, widgets.Checkbox))
    assert calls[-1] == (0.0, 1.0) and "slope 0" in live.picture.tooltip
    box.value = True
    assert calls[-1] == (2.0, 1.0) and "slope 2" in live.picture.tooltip


def test_a_picture_without_a_grid_or_controls_says_which_it_lacks():
    from dataclasses import replace

    picture, _, _ = counted_line()
    with pytest.raises(ValueError, match="no static twin: declare its grid"):
        replace(picture, grid=None).static()
    with pytest.raises(ValueError, match="no live version: declare its controls"):
        replace(picture, controls=None).live()
    with pytest.raises(ValueError, match="start names 'tilt', which is not one of the controls"):
        replace(picture, start={"tilt": 0.0}).static(link=widgets.link)
