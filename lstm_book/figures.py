"""What the pictures of every chapter share.

Each chapter's module (lstm_book.refresher, ..., see lstm_book) draws its pictures as a pair of pure functions:
`compute(**values) -> result` holds the numbers (fast, tested) and `draw(result) -> Figure` the picture, so a slider
can call them again and again (lstm_book.sliders) and the tests can check what a picture shows.

This module holds the palette (Okabe & Ito, "Color Universal Design", 2008: eight colours that stay distinct under
the common colour blindnesses), one colour per part of the cell, figures made outside pyplot (no global state,
nothing shown by accident) and the display of a figure at twice its pixels. Needs matplotlib.
"""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["OKABE_ITO", "GATE_COLORS", "UNIT_COLORS", "DPI", "LIVE_DPI", "PX_PER_INCH", "SHARP", "MIN_TEXT_PT",
           "SMALLEST_TEXT", "new_figure", "smallest_text_pt", "smallest_text_px", "figure_to_png", "png_width_css",
           "show_figures_sharp"]

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7",
}
GATE_COLORS = {  # one colour per part of the LSTM cell, the same in every chapter
    "forget": OKABE_ITO["vermillion"], "input": OKABE_ITO["blue"], "candidate": OKABE_ITO["bluish green"],
    "output": OKABE_ITO["orange"], "cell": OKABE_ITO["black"], "hidden": OKABE_ITO["reddish purple"],
}
UNIT_COLORS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue")]

PX_PER_INCH = 96  # a figure is shown this many CSS px wide per inch (6.4 in -> 614 px), or narrower in a narrow column
SHARP = 2  # ... and drawn with twice as many pixels, sharp on high-density screens
DPI = PX_PER_INCH * SHARP  # the frames of a static slider and the figures a chapter shows
LIVE_DPI = 80  # a live slider's redraws, shown at their own size in a running notebook: fast first
MIN_TEXT_PT = 9  # the smallest text of any figure: 9 pt at 96 px per inch, or at 672 px for 7.8 in, is >= 10 CSS px
SMALLEST_TEXT = "lstm_book smallest text px"  # the PNG text chunk that says it, in the image's own pixels


def new_figure(width=6.4, height=2.8):
    """A matplotlib Figure with an Agg canvas, outside pyplot. A notebook shows it with `display(fig)`."""
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def fixed_figure(width, height):
    """A Figure with no layout engine (new_figure's is constrained), for a picture redrawn at every move of a slider:
    savefig draws a figure that has any layout engine twice, once to lay it out; with fixed margins one draw is
    enough, which halves the cost of every frame. The caller places the axes (margins by hand)."""
    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def smallest_text_pt(fig):
    """The font size (pt) of the smallest text the figure draws: titles, labels, tick labels, legends, notes."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) if sizes else None


def smallest_text_px(fig, dpi):
    """The smallest text of the figure in the pixels of an image drawn at `dpi` (None if it draws no text)."""
    smallest = smallest_text_pt(fig)
    return None if smallest is None else smallest * dpi / 72


def figure_to_png(fig, dpi=DPI, tight=False, palette=True):
    """Render `fig` with the Agg canvas and return the PNG bytes; the figure is closed afterwards.

    The picture is stored with a palette of 256 colours (matplotlib's colours come back within 5/255, at a quarter of
    the bytes; palette=False keeps full colour, faster, for a live redraw), and with a text chunk, SMALLEST_TEXT, that gives the size of its smallest text in its own pixels, so
    that a test can tell how large that text is where the page shows it. The output is deterministic (no timestamp,
    no version string), so a frame drawn now equals one drawn later.
    """
    from PIL import Image

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white",
                bbox_inches="tight" if tight else None)
    smallest = smallest_text_px(fig, dpi)
    if getattr(fig.canvas, "manager", None) is not None:  # a pyplot figure: let pyplot forget it
        from matplotlib import pyplot as plt

        plt.close(fig)
    return _png_bytes(Image.open(buf).convert("RGB"), smallest, palette)


def _png_bytes(rgb, smallest, palette):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if smallest is not None:
        info.add_text(SMALLEST_TEXT, f"{smallest:.2f}")
    out = io.BytesIO()
    if palette:
        rgb = rgb.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    rgb.save(out, format="png", optimize=palette, pnginfo=info)
    return out.getvalue()


def pad_pngs(pngs):
    """The PNGs of figure_to_png, each on a white canvas as wide and as tall as the largest of them (the picture at
    the top left, its SMALLEST_TEXT kept): the pictures a control switches between keep one size, so the page does not
    jump when the reader picks another. PNGs already of that size come back unchanged."""
    from PIL import Image

    images = [Image.open(io.BytesIO(png)) for png in pngs]
    size = (max(im.width for im in images), max(im.height for im in images))
    padded = []
    for png, im in zip(pngs, images):
        if im.size == size:
            padded.append(png)
            continue
        canvas = Image.new("RGB", size, "white")
        canvas.paste(im.convert("RGB"), (0, 0))
        smallest = im.info.get(SMALLEST_TEXT)
        padded.append(_png_bytes(canvas, None if smallest is None else float(smallest), palette=im.mode == "P"))
    return padded


def png_width_css(png):
    """The CSS width (px) to show a PNG of figure_to_png at: its pixels over SHARP."""
    from PIL import Image

    return round(Image.open(io.BytesIO(png)).width / SHARP)


def show_figures_sharp():
    """In IPython, show every matplotlib figure as figure_to_png draws it (2x, with its smallest text recorded), at
    half its pixel width. Called by each chapter's hidden set-up cell; does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def png(fig):
        data = figure_to_png(fig, tight=True)
        return data, {"width": png_width_css(data)}

    shell.display_formatter.formatters["image/png"].for_type(Figure, png)

