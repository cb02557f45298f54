"""Sliders for the book: the same picture, live in a running notebook and precomputed on the static website.

A picture with sliders is declared once, in its chapter's module, as a `SliderPicture`: three pure functions,
`compute(**values) -> result` (numbers only, fast), `draw(result) -> Figure` and `alt(result) -> str` (what the
picture shows, in words, read from the very result it is drawn from), with the values of its static twin (`grid`)
and the controls of its live version (`controls`). Both are made from it:

* `.static()`, the static twin for the website: `draw(compute(...))` for every value of the grid, once; the PNGs
  (each in an `<img>` with its alt text) sit in a `Stack`, and each control's index is linked to the Stack's
  `selected_index` with `widgets.jslink`. The link runs in the browser, so the slider responds with no kernel.
* `.live()`, for a running kernel: every move of a control computes once, redraws and sets the alt text from that
  result. The new PNG replaces the bytes of one `widgets.Image`; the browser keeps showing the old picture until the
  new one is decoded (no blank, no page jump), and no output area is cleared and refilled. With an `update`
  function the figure is redrawn in place (`FastFigure`, matplotlib's blitting).

`static_grid` / `static_slider` (a `render(**values) -> Figure` and an `alt(**values)`) and `live_plot` are the same
two machines for a picture that is no `SliderPicture` (chapter 8's, whose live picture is HTML).
* `slider_timings` measures both paths (median of N runs) for benchmarks/bench.py.

Needs ipywidgets (>= 8.1, for `Stack`) and matplotlib. References: ipywidgets docs, "Using Interact", "Output Widget" and
"Widget Events" (jslink).
"""


import base64
import html
import io
import itertools
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .figures import DPI, LIVE_DPI, figure_to_png, pad_pngs, png_width_css

__all__ = ["SliderPicture", "StaticFigure", "static_slider", "static_grid", "FastFigure", "live_plot", "slider_timings",
           "png_html", "rgba_to_png"]

# Under the first static picture of a page (the others pass note=False: said once per page is enough), one sentence
# for the website (no Python behind it) and one for a running notebook. The notebook's is shown unless the site's
# stylesheet (book/_static_site/custom.css) swaps them.
STATIC_NOTE = (
    '<small><i><span class="lstm-note-site" style="display:none">On the website every picture with a slider on this '
    "page was drawn in advance: this one is one of {n}, and the {what} picks one. Open the chapter on Binder or Colab "
    '(the rocket button at the top of the page) to run its code.</span><span class="lstm-note-notebook">Every '
    "picture with a slider in this notebook was drawn in advance: this one is one of {n}, and the {what} picks one. "
    "The code draws any other.</span></i></small>"
)


def png_html(png, alt, width=None):
    """An `<img>` of PNG bytes with its alt text, for a widgets.HTML (widgets.Image has no alt text). It is shown at
    `width` (CSS), by default at its pixels over SHARP (drawn at 2x for high-density screens), never wider than the
    column."""
    if not alt or not str(alt).strip():
        raise ValueError("every picture needs an alt text that says what it shows, got an empty one")
    width = f"{png_width_css(png)}px" if width is None else width
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(str(alt), quote=True)}" '
            f'style="width:{width};max-width:100%;height:auto">')


def _label(value, label_format):
    if value is None:
        return "computed"
    if isinstance(value, str):
        return value
    return label_format.format(value)


def _control(name, values, label_format, description, labels=None):
    """A control whose `index` picks a value: toggle buttons for words, a selection slider for numbers (and for
    values given `labels` of their own)."""
    if labels is not None and len(labels) != len(values):
        raise ValueError(f"{name!r} has {len(values)} values but {len(labels)} labels")
    labels = [_label(v, label_format) for v in values] if labels is None else list(labels)
    if len(set(labels)) != len(labels):
        raise ValueError(f"the values of {name!r} give repeated labels {labels}: pass a finer label_format")
    options = list(zip(labels, range(len(values))))
    style = {"description_width": "initial"}
    if all(isinstance(v, str) for v in values):
        return widgets.ToggleButtons(options=options, description=description, style=style)
    return widgets.SelectionSlider(
        options=options, description=description, continuous_update=True, style=style,
        layout=widgets.Layout(width="420px"),
    )


class StaticFigure(widgets.VBox):
    """Controls over a Stack of precomputed PNG images (see `static_grid`).

    Attributes
    ----------
    controls : dict name -> widget (a SelectionSlider or ToggleButtons) whose `index` picks a value
    slider : the last control (the only one for `static_slider`)
    stack : the outer widgets.Stack (nested Stacks for a grid of several controls)
    names : tuple of the control names, in grid order
    values : list of the values of a single control, or of tuples of values (one per control) for a grid
    frames : list of PNG bytes, one per entry of `values`, in the same order
    nbytes : total size of the PNGs, which is about what the page carries for this picture
    links : the link objects (jslink by default) from each control's `index` to the `selected_index` of its Stacks
    note : the widgets.HTML under the picture that says it was drawn in advance, or None (note=None)
    """

    def __init__(self, controls, stack, names, values, frames, note):
        self.controls, self.stack, self.names, self.values, self.frames = controls, stack, names, values, frames
        self.slider = list(controls.values())[-1]
        self.nbytes = sum(len(f) for f in frames)
        self.note = None if note is None else widgets.HTML(note)
        super().__init__([*controls.values(), stack] + ([] if note is None else [self.note]))

    def visible_frame(self):
        """The PNG bytes of the image the Stacks show now (follows every `selected_index`)."""
        node = self.stack
        while isinstance(node, widgets.Stack):
            node = node.children[node.selected_index]
        return self.frames[node.frame_index]

    def frame(self, *values):
        """The PNG drawn for one value (or one value per control)."""
        key = values if len(self.names) > 1 else values[0]
        return self.frames[self.values.index(key)]


def _static(frame, grid, *, label_format, descriptions, link, dpi, width, note, labels, start):
    """A StaticFigure over `grid` from `frame(**values) -> (Figure, alt text)` (see `static_grid`)."""
    link = widgets.jslink if link is None else link
    names = tuple(grid)
    if not names or any(len(grid[n]) == 0 for n in names):
        raise ValueError(f"grid must map at least one name to a non-empty list of values, got {grid!r}")
    descriptions = {n: n for n in names} | dict(descriptions or {})
    labels = dict(labels or {})
    controls = {n: _control(n, list(grid[n]), label_format, descriptions[n], labels.get(n)) for n in names}
    keys = list(itertools.product(*(grid[n] for n in names)))
    drawn = [frame(**dict(zip(names, key))) for key in keys]
    # one size for all: a control that picks another picture does not make the page jump
    frames = pad_pngs([figure_to_png(fig, dpi=dpi) for fig, _ in drawn])
    alts = [alt for _, alt in drawn]

    def image(k):
        box = widgets.HTML(png_html(frames[k], alts[k], width))
        box.frame_index = k
        return box

    images = iter(image(k) for k in range(len(frames)))

    links = []

    def build(level):
        if level == len(names):
            return next(images)
        stack = widgets.Stack([build(level + 1) for _ in grid[names[level]]], selected_index=0)
        links.append(link((controls[names[level]], "index"), (stack, "selected_index")))
        return stack

    stack = build(0)
    for control in controls.values():
        control.index = 0
    what = "slider" if len(names) == 1 else "set of controls"
    values = [k[0] for k in keys] if len(names) == 1 else keys
    fig = StaticFigure(controls, stack, names, values, frames,
                       STATIC_NOTE.format(n=len(frames), what=what) if note else None)
    fig.links = links
    for name, value in dict(start or {}).items():
        if name not in controls:
            raise ValueError(f"start names {name!r}, which is not one of the controls {list(names)}")
        controls[name].index = list(grid[name]).index(value)
    return fig


def static_grid(render, grid, *, alt, label_format="{:.2f}", descriptions=None, link=None, dpi=DPI, width=None,
                note=True, labels=None):
    """Precompute `render(**values)` over a grid of values; controls pick the image with no kernel.

    For a picture that is a `compute` and a `draw`, declare a `SliderPicture` and call its `.static()` instead:
    this is the machine under it, for a picture given as one `render` (chapter 8's cells).

    Parameters
    ----------
    render : callable(**values) -> matplotlib Figure (e.g. `lambda **v: draw(compute(**v))`)
    grid : dict name -> list of values (numbers, words, or None for "computed"); the first name is the outer Stack
    label_format : str.format pattern for numeric labels, e.g. "{:.2f}"
    alt : callable(**values) -> str, the alt text of each picture (what it shows, in words), or one str for all
    descriptions : dict name -> text shown beside the control (default: the name)
    link : widgets.jslink (default, runs in the browser) or widgets.link (runs in Python: for tests)
    dpi : resolution of the PNGs (DPI: twice the pixels they are shown at); each image stays in the page
    width : the CSS width to show them at (default: their pixels over SHARP)
    labels : dict name -> list of words, one per value, that the control shows instead of the formatted values
        (a slider still: "2 forget gate" for the value 2)
    note : True (default) to put STATIC_NOTE under the picture; False for every static picture of a page but its
        first, so that the page says it once

    Returns
    -------
    StaticFigure (a VBox): the controls, the Stack of images and (note=True) a note that says how many pictures it
    holds.
    The Stacks are nested, one level per control; control k is linked to every Stack of level k.
    """
    def frame(**values):
        return render(**values), alt(**values) if callable(alt) else alt

    return _static(frame, grid, label_format=label_format, descriptions=descriptions, link=link, dpi=dpi,
                   width=width, note=note, labels=labels, start=None)


def static_slider(render, values, *, description, alt, label_format="{:.2f}", link=None, dpi=DPI, value=None,
                  note=True, labels=None):
    """One slider over precomputed images: `render(v)` -> Figure for each v in `values` (see `static_grid`).

    `alt(v)` (or one str) is the alt text of each picture. `value` picks the value shown first (default: the
    first). `labels` (a list, one word per value) replaces the formatted values on the slider. `note=False` leaves
    out the note that the picture was drawn in advance (a page says it once, under its first static picture).
    Returns a StaticFigure with .slider, .stack, .frames (PNG bytes), .values and .nbytes.
    """
    def frame(v):
        return render(v), alt(v) if callable(alt) else alt

    return _static(frame, {"v": list(values)}, label_format=label_format, descriptions={"v": description},
                   link=link, dpi=dpi, width=None, note=note, labels=None if labels is None else {"v": labels},
                   start=None if value is None else {"v": value})


class FastFigure:
    """One figure redrawn in place, for a live slider: only what the values change is drawn again.

    `draw(result)` builds the figure once. `update(fig, result)` sets every artist that depends on the result (lines,
    markers, titles, legends) to show `result` and returns them, the same list every time; everything else (axes,
    ticks, labels) must not depend on the result. Those static parts are drawn once and kept as a background
    (matplotlib's blitting); a redraw restores the background and draws the returned artists on it. When the
    static parts would change (say the axes need other limits), `update` either returns None and the figure is built
    anew, or changes them itself and sets `fig.static_changed = True`: the figure stays and its background is drawn
    again. That is a full draw (about half the time of a new figure), unless `draw` named the parts that may change
    in `fig.static_layer` (say [ax.xaxis]): those are then kept out of the background and drawn on it again, alone,
    when the static parts change (chapter 3's steps slider: ~10 ms against ~40). This keeps a redraw within a few
    tens of milliseconds where building a new figure takes about 100.
    """

    def __init__(self, draw, update, result, dpi=LIVE_DPI):
        self.draw, self.update, self.dpi = draw, update, dpi
        self._build(result)

    def _build(self, result):
        self.fig = self.draw(result)
        self.fig.set_dpi(self.dpi)
        if not isinstance(self.fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.fig)
        artists = self.update(self.fig, result)
        if artists is None:
            raise ValueError("update() returned None for the very result the figure was drawn for")
        self._background(artists)
        self.fig.set_layout_engine("none")  # the layout is fixed from now on
        return artists

    def _background(self, artists):
        self.fig.static_changed = False
        for artist in [*artists, *getattr(self.fig, "static_layer", [])]:
            artist.set_animated(True)  # left out of the background
        self.fig.canvas.draw()
        self.base = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._layer()

    def _layer(self):
        """The background: the base with the static layer (if any) drawn on it as it is now."""
        self.fig.static_changed = False
        self.fig.canvas.restore_region(self.base)
        for artist in getattr(self.fig, "static_layer", []):
            self.fig.draw_artist(artist)
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self, result):
        """The PNG bytes of the figure showing `result`."""
        artists = self.update(self.fig, result)
        if artists is None:
            artists = self._build(result)
        elif getattr(self.fig, "static_changed", False):
            self._layer() if hasattr(self.fig, "static_layer") else self._background(artists)
        self.fig.canvas.restore_region(self.background)
        for artist in artists:
            self.fig.draw_artist(artist)
        return rgba_to_png(np.asarray(self.fig.canvas.buffer_rgba()))


class PixelCache:
    """Stands for an artist that lies alone on the static background of a FastFigure (chapter 5: the legend), and pastes
    back its pixels when it looks as it did before.

    The legend of chapter 5's gates_draw has only sixteen wordings (which of the four parts are forced), yet drawing it is half of a
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


def rgba_to_png(rgba):
    """PNG bytes of an (height, width, 4) uint8 image, compressed lightly (fast; a live picture is sent once)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class _NamedImage(widgets.Image):
    """widgets.Image with a title (its `tooltip`): the name a screen reader reads, an Image having no alt text.

    ipywidgets 8.1's front end sets the title only when the widget's `description` is empty, and an Image has none
    to read: the view fails to draw ("Cannot read properties of undefined (reading 'length')" in updateTooltip).
    An empty description, sent along, lets it set the title.
    """

    description = traitlets.Unicode("").tag(sync=True)


def _live(compute, draw, describe, controls, *, update, height, dpi):
    """The live picture of `live_plot`, whose alt text is `describe(result, values)` (None for an HTML draw)."""
    fast = {}

    def picture_of(result):
        if update is None:
            drawn = draw(result)
            return drawn if isinstance(drawn, str) else figure_to_png(drawn, dpi=dpi, palette=False)
        if "figure" not in fast:
            fast["figure"] = FastFigure(draw, update, result, dpi=dpi)
        return fast["figure"].png(result)

    def png(**values):
        return picture_of(compute(**values))

    def current():
        return {k: w.value for k, w in controls.items()}

    def shown():
        """What the controls ask for: the picture, and its alt text read from the same result (None for HTML)."""
        values = current()
        result = compute(**values)
        data = picture_of(result)
        return data, None if isinstance(data, str) else describe(result, values)

    for control in controls.values():  # "recurrent weight w", not "recurrent ..."
        if hasattr(getattr(control, "style", None), "description_width"):
            control.style.description_width = "initial"
    if describe is None:
        first = png(**current())
        if not isinstance(first, str):
            raise ValueError("a live picture needs alt=callable(**values) -> str, what it shows in words (a screen "
                             "reader reads it as the image's name), got none")
        words = None
    else:
        first, words = shown()
    if isinstance(first, str):
        picture = widgets.HTML(value=first)  # a new string replaces the old text at once: nothing to decode
    else:
        picture = _NamedImage(value=first, format="png", tooltip=words)
    if height is None and not isinstance(first, str):
        from PIL import Image as PILImage

        height = f"{PILImage.open(io.BytesIO(first)).height + 8}px"
    errors = widgets.Output()
    failed = []

    def redraw(change=None):
        try:
            data, words = shown() if describe is not None else (png(**current()), None)
        except Exception:
            failed.append(True)
            with errors:  # in a kernel the Output shows the traceback under the picture (elsewhere it is raised)
                errors.clear_output(wait=True)
                raise
        if failed:
            errors.clear_output()
            failed.clear()
        picture.value = data
        if words is not None:
            picture.tooltip = words

    for control in controls.values():
        control.observe(redraw, names="value")
    frame = widgets.Box([picture], layout=widgets.Layout(min_height=height or "0px"))
    box = widgets.VBox([*controls.values(), frame, errors])
    box.picture, box.output, box.update, box.png = picture, errors, redraw, png
    return box


def live_plot(compute, draw, controls, *, update=None, alt=None, height=None, dpi=LIVE_DPI):
    """The live version for a running kernel: every change of a control recomputes and redraws.

    For a picture with an alt text, declare a `SliderPicture` and call its `.live()` instead (its alt reads the
    result); this is the machine under it, and the way to a live picture drawn as HTML (chapter 8's reader).

    Parameters
    ----------
    compute : callable(**values) -> result, pure and fast (<= 5 ms)
    draw : callable(result) -> matplotlib Figure, or an HTML string (shown in a widgets.HTML: text that the browser
        sets itself, for a picture of text such as chapter 8's live reader, where drawing a figure would not keep up)
    controls : dict name -> widget with a `.value` (set `continuous_update=False` on a control whose update is slow)
    update : optional callable(fig, result) -> list of artists, to redraw in place (see FastFigure); without it
        every change builds a new figure
    alt : callable(**values) -> str, what the picture shows, in words (the static twin's alt); widgets.Image has no
        alt text, so it becomes the image's title, which a screen reader reads as its name, at every redraw. Needed
        for a PNG; an HTML draw is read as it is.
    height : the least height of the output area, so the page does not jump while the picture is replaced (default:
        that of the first picture, so no picture is cut off); every control's description is shown whole

    Returns
    -------
    VBox of the controls, the picture and an Output; `.picture` is the widgets.Image (widgets.HTML for an HTML
    draw; in a Box as tall as `height`),
    `.output` the Output where an error of `compute` or `draw` shows its traceback, `.update()` redraws with the
    current values, `.png(**values)` returns the PNG bytes (or the HTML) that a change to `values` shows.
    """
    describe = None if alt is None else (lambda result, values: alt(**values))
    return _live(compute, draw, describe, controls, update=update, height=height, dpi=dpi)


@dataclass(frozen=True)
class SliderPicture:
    """A picture with sliders, declared once in its chapter's module: its static twin and its live version.

    `.static()` is the static twin for the website (every value of `grid` drawn in advance, see `static_grid`) and
    `.live()` the live version for a running kernel (see `live_plot`); both draw `draw(compute(**values))` and say
    `alt(result)` of the very result they draw, so a picture and its words never come from two computations.

    Attributes
    ----------
    compute : callable(**values) -> result, pure and fast; the result carries whatever `alt` needs to say
    draw : callable(result) -> matplotlib Figure
    alt : callable(result) -> str, what the picture of `result` shows, in words (read from `result`, not computed
        again): the `<img>`'s alt text of each static frame, the live image's title (a screen reader's name for it)
    update : optional callable(fig, result) -> list of artists: the live picture is redrawn in place (FastFigure)
    grid : dict name -> list of values, the static twin's controls (the first name is the outer Stack); None: no twin
    fixed : dict name -> value passed to `compute` by both versions, which no control sets
    start : dict name -> the value of `grid` each static control shows first (default: its first value)
    descriptions, labels, label_format : of the static controls (see `static_grid`)
    controls : callable() -> dict name -> widget with a `.value`, the live version's controls, made anew at each
        `.live()` (a widget shows in one place); None: no live version
    choose : optional callable(**control values) -> compute's keyword arguments, for live controls that are not
        compute's arguments one to one (chapter 5: a box that says whether its slider forces a gate)
    """

    compute: Callable[..., Any]
    draw: Callable[[Any], Any]
    alt: Callable[[Any], str]
    update: Callable[[Any, Any], Any] | None = None
    grid: Mapping[str, Any] | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    start: Mapping[str, Any] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, Any] = field(default_factory=dict)
    label_format: str = "{:.2f}"
    controls: Callable[[], Mapping[str, Any]] | None = None
    choose: Callable[..., Mapping[str, Any]] | None = None

    def result(self, **values):
        """`compute` at `values` (with the fixed ones): what the picture shows."""
        return self.compute(**self.fixed, **values)

    def figure(self, **values):
        """The picture at `values`, drawn from its result."""
        return self.draw(self.result(**values))

    def text(self, **values):
        """The alt text of the picture at `values`, read from its result."""
        return self.alt(self.result(**values))

    def static(self, *, note=True, link=None, dpi=DPI, width=None):
        """The static twin: a StaticFigure over `grid`, every frame and its alt text drawn from one result.

        note : False for every static picture of a page but its first (the page says once that they are drawn in
        advance). link : widgets.jslink (default, the website) or widgets.link (tests in Python).
        """
        if self.grid is None:
            raise ValueError("this picture has no static twin: declare its grid")

        def frame(**values):
            result = self.result(**values)
            return self.draw(result), self.alt(result)

        return _static(frame, self.grid, label_format=self.label_format, descriptions=self.descriptions, link=link,
                       dpi=dpi, width=width, note=note, labels=self.labels, start=self.start)

    def live(self, *, height=None, dpi=LIVE_DPI):
        """The live version (a running kernel): the controls of `controls()`, every move computed once, drawn, and
        said in words from that result. Returns the VBox of `live_plot`."""
        if self.controls is None:
            raise ValueError("this picture has no live version: declare its controls")
        choose = self.choose or (lambda **values: values)

        def compute(**values):
            return self.result(**choose(**values))

        return _live(compute, self.draw, lambda result, values: self.alt(result), dict(self.controls()),
                     update=self.update, height=height, dpi=dpi)


def slider_timings(compute, draw, values, repeats=15, dpi=LIVE_DPI, update=None):
    """Median time in ms of compute alone and of compute + redraw + PNG, cycling through `values`.

    The redraw is the one a live slider does: in place with `update` (FastFigure), else a new figure each time.
    values : list of dicts of keyword arguments for compute. Returns dict(compute_ms=, redraw_ms=).
    """
    values = list(values)
    if update is None:
        def redraw(result):
            return figure_to_png(draw(result), dpi=dpi, palette=False)
    else:
        redraw = FastFigure(draw, update, compute(**values[0]), dpi=dpi).png
    compute(**values[0]), redraw(compute(**values[0]))  # warm up
    alone, both = [], []
    for k in range(repeats):
        kw = values[k % len(values)]
        start = time.perf_counter()
        compute(**kw)
        alone.append(time.perf_counter() - start)
        start = time.perf_counter()
        redraw(compute(**kw))
        both.append(time.perf_counter() - start)
    return {"compute_ms": 1e3 * statistics.median(alone), "redraw_ms": 1e3 * statistics.median(both)}


