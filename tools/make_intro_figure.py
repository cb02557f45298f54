"""Draw the picture on the book's front page (book/images/memory_fades.png).

    .venv/bin/python tools/make_intro_figure.py

A plain RNN multiplies what it remembers by its recurrent weight at every step; an LSTM multiplies
its cell state by the forget gate. With hand-picked numbers (0.8 for the RNN, 0.98 and 1.0 for the
forget gate) the curves show why the book is about gates.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # a script, not a notebook: no window
import matplotlib.pyplot as plt
import numpy as np

from lstm_book.figures import figure_to_png

OUT = Path(__file__).resolve().parent.parent / "book" / "images" / "memory_fades.png"
# Okabe-Ito colours (safe for colour-blind readers).
VERMILLION, BLUE, GREEN = "#D55E00", "#0072B2", "#009E73"


def main() -> None:
    steps = np.arange(0, 51)  # (T,)
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    ax.plot(steps, 0.8**steps, color=VERMILLION, lw=2.5, label="plain RNN, recurrent weight 0.8")
    ax.plot(steps, 0.98**steps, color=BLUE, lw=2.5, ls="--", label="LSTM, forget gate 0.98")
    ax.plot(steps, np.ones_like(steps, dtype=float), color=GREEN, lw=2.5, ls=":",
            label="LSTM, forget gate 1.0")
    ax.set_title("How much of the first input is still remembered")
    ax.set_xlabel("time steps since the first input")
    ax.set_ylabel("fraction remembered")
    ax.set_ylim(-0.03, 1.08)
    ax.set_xlim(0, 50)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", bbox_to_anchor=(0.28, 0.06), frameon=True, framealpha=0.9)
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # as every figure of the book: drawn at 2x (shown at 614 px by book/intro.md), with its smallest text recorded
    OUT.write_bytes(figure_to_png(fig))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
