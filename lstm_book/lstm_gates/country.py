"""Chapter 5, the country story: an LSTM with hand-set weights (`country_cell`) that forgets the old country exactly
when a new one appears (`country_sentence`, `country_compute`), so the language it points to at "speak" changes
too (`spoken_language`, `country_draw`).

Reference: Gers et al. (2000) for the forget gate.
"""

import numpy as np

from lstm_lite import LSTMCell

from ..checks import check_number, check_words
from ..figures import GATE_COLORS, OKABE_ITO, new_figure
from .gates import CELL_STYLES

COUNTRY_SENTENCE = tuple("I grew up in France . I speak French . Then I moved to Spain . I speak Spanish".split())
COUNTRY_FEATURES = ("France", "Spain", "speak")  # one input feature per word that matters
LANGUAGES = ("French", "Spanish")  # memory cell k stands for country k, so it points to language k
TIE = "French or Spanish?"  # what the readout says when both memory cells show the same value


def country_sentence(words=COUNTRY_SENTENCE):
    """One-hot inputs (T, 3) for the words: feature 0 = 'France', 1 = 'Spain', 2 = 'speak'; other words are 0."""
    words = check_words("words", words)
    xs = np.zeros((len(words), len(COUNTRY_FEATURES)))
    for t, w in enumerate(words):
        if w in COUNTRY_FEATURES:
            xs[t, COUNTRY_FEATURES.index(w)] = 1.0
    return xs


def country_cell(strength=6.0):
    """An LSTM with 2 memory cells and weights set by hand: cell 1 remembers France, cell 2 Spain.

    A country word opens the input gate of both cells (write) and closes their forget gate (erase);
    the candidate of cell k is about 1 only for country k; the output gate opens on 'speak'.
    Every other word writes nothing (input near 0) and keeps the belt (forget near 1).
    `strength` s sets how sharp the gates are: each gate is sigmoid(+-s) = 0.998 or 0.002 for s = 6.
    """
    s = check_number("strength", strength)
    country = np.array([1.0, 1.0, 0.0])
    speak = np.array([0.0, 0.0, 1.0])
    w_ih = np.vstack([
        2 * s * country, 2 * s * country,       # input gate i: opens on a country word
        -2 * s * country, -2 * s * country,     # forget gate f: closes on a country word
        [s / 2, 0, 0], [0, s / 2, 0],           # candidate g: cell 1 <- France, cell 2 <- Spain
        2 * s * speak, 2 * s * speak,           # output gate o: opens on 'speak'
    ])  # (8, 3), PyTorch's order i, f, g, o
    b = np.array([-s, -s, s, s, 0, 0, -s, -s])  # i closed, f open, o closed unless a word says otherwise
    return LSTMCell.from_torch(w_ih, np.zeros((8, 2)), b, np.zeros(8))


def country_compute(forget=None, words=COUNTRY_SENTENCE):
    """Run `country_cell` over the words (forget=None: as built; a number forces the forget gate)."""
    return country_cell().forward(country_sentence(words), forget=forget)


def _words_of(trace, words):
    """The words, checked against a trace of the country cell: one word per step."""
    words = check_words("words", words)
    h = getattr(trace, "h", None)
    if not isinstance(h, np.ndarray) or h.ndim != 2 or h.shape[1] != len(LANGUAGES):
        raise TypeError(f"trace must be the trace of country_compute (h of shape (T, {len(LANGUAGES)})), got "
                        f"{type(trace).__name__}" + (f" with h of shape {h.shape}" if isinstance(h, np.ndarray) else ""))
    if len(words) != h.shape[0]:
        raise ValueError(f"words must hold one word per step of the trace ({h.shape[0]}), got {len(words)} words")
    return words


def spoken_language(trace, words=COUNTRY_SENTENCE, tol=1e-6):
    """At every 'speak', the language whose memory cell has the larger hidden state: list of (t, language).

    When the two hidden states are within `tol` of each other the readout cannot choose, and says TIE.
    """
    words, tol = _words_of(trace, words), check_number("tol", tol, low=0)
    found = []
    for t, w in enumerate(words):
        if w == "speak":
            h = trace.h[t]
            found.append((t, TIE if abs(h[0] - h[1]) <= tol else LANGUAGES[int(np.argmax(h))]))
    return found


def country_draw(trace, words=COUNTRY_SENTENCE):
    """Three panels over the words: the gates (the same for both memory cells here), the belt c, the readout h."""
    words = _words_of(trace, words)
    fig = new_figure(7.8, 5.0)
    axes = fig.subplots(3, 1, sharex=True, height_ratios=[1.1, 1, 1])
    t = np.arange(len(words))
    for ax in axes:
        for k, w in enumerate(words):
            if w in COUNTRY_FEATURES[:2]:
                ax.axvspan(k - 0.45, k + 0.45, color=OKABE_ITO["yellow"], alpha=0.35, lw=0)
    ax = axes[0]
    for name in ("input", "forget", "output"):
        forced = " (forced)" if name in trace.forced else ""
        ax.plot(t, getattr(trace, name)[:, 0], "o-", ms=3.5, lw=1.8, color=GATE_COLORS[name], label=name + forced)
    ax.set(ylim=(-0.1, 1.15), ylabel="gate", title="The country cell, word by word (country words shaded)")
    ax.legend(fontsize=9, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for row, name, label in ((1, "c", "cell state c"), (2, "h", "hidden state h")):
        ax = axes[row]
        color = GATE_COLORS["cell" if name == "c" else "hidden"]
        for k, country in enumerate(COUNTRY_FEATURES[:2]):
            style, marker = CELL_STYLES[k]
            ax.plot(t, getattr(trace, name)[:, k], style, marker=marker, ms=3.5, lw=1.8, color=color,
                    label=f"memory cell {k + 1}: {country}")
        ax.set(ylim=(-0.1, 1.15), ylabel=label)
        ax.legend(fontsize=9, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for t_speak, lang in spoken_language(trace, words):
        late = t_speak > 0.7 * (len(words) - 1)  # near the right edge the label ends at its point, inside the axes
        axes[2].annotate(f"{lang} →" if late else f"→ {lang}", (t_speak, trace.h[t_speak].max()),
                         xytext=(-6 if late else 0, 5), textcoords="offset points", ha="right" if late else "center",
                         fontsize=9, color=GATE_COLORS["hidden"])
    axes[2].set_xticks(t, words, rotation=60, ha="right", rotation_mode="anchor", fontsize=9)
    axes[2].set_xlabel("word")
    return fig
