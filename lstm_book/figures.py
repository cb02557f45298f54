"""What the pictures of every chapter share.

Each chapter's module (lstm_book.refresher, ..., see lstm_book) draws its pictures as a pair of pure functions:
`compute(**values) -> result` holds the numbers (fast, tested) and `draw(result) -> Figure` the picture, so a slider
can call them again and again (lstm_book.sliders) and the tests can check what a picture shows.

This module holds the palette (Okabe & Ito, "Color Universal Design", 2008: eight colours that stay distinct under
the common colour blindnesses), one colour per part of the cell, figures made outside pyplot (no global state,
nothing shown by accident) and `glue`, which hands a computed number to the prose. Needs matplotlib.
"""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["OKABE_ITO", "GATE_COLORS", "UNIT_COLORS", "DPI", "new_figure", "figure_to_png", "glue"]

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7",
}
GATE_COLORS = {  # one colour per part of the LSTM cell, the same in every chapter
    "forget": OKABE_ITO["vermillion"], "input": OKABE_ITO["blue"], "candidate": OKABE_ITO["bluish green"],
    "output": OKABE_ITO["orange"], "cell": OKABE_ITO["black"], "hidden": OKABE_ITO["reddish purple"],
}
UNIT_COLORS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue")]

DPI = 80  # low: every precomputed frame of a static slider stays in the page


def new_figure(width=6.4, height=2.8):
    """A matplotlib Figure with an Agg canvas, outside pyplot. A notebook shows it with `display(fig)`."""
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def figure_to_png(fig, dpi=DPI):
    """Render `fig` with the Agg canvas and return the PNG bytes; the figure is closed afterwards.

    The output is deterministic (no timestamp, no version string), so a frame drawn now equals one drawn later.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    if getattr(fig.canvas, "manager", None) is not None:  # a pyplot figure: let pyplot forget it
        from matplotlib import pyplot as plt

        plt.close(fig)
    return buf.getvalue()


def glue(name, value, display=False):
    """Hand a computed value to the prose, which quotes it as {glue:text}`name` (myst-nb's glue), so the text and
    the computation cannot disagree. Where myst-nb is missing (Colab installs lstm_lite alone) it does nothing: the
    reader of a running notebook sees the value in the cell's own output."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=display)
