"""Chapter 8, a trained LSTM reads code: the corpus, the features of the text that cells are matched to, and (below)
the model, its cells and the pictures.

The corpus is Python's own standard library (tools/code_corpus.py builds it; lstm_book/data/stdlib_code/ holds it,
with the PSF licence). The features are computed by Python's own lexer, `tokenize`, so that a bracket inside a string
or a comment is not counted as a bracket:

    indent    the number of leading spaces of the line read so far: 0, 1, 2, ... along the indentation, then held
              to the end of the line, 0 again after the newline
    brackets  1 inside round, square or curly brackets (in code, not in strings or comments), else 0
    string    1 on the characters of a string literal, its quotes included, else 0
    comment   1 on the characters of a comment, its # included, else 0
"""

from __future__ import annotations

import dataclasses
import io
import json
import lzma
import textwrap
import tokenize
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from .checks import (
    check_choice,
    check_count,
    check_dtype,
    check_flag,
    check_index,
    check_number,
    check_seed,
    check_text,
)
from .exercises import AnswerError, Verdict, code, described, exercise, gates_out_of_range, key_code, number, shown

FEATURES = ("indent", "brackets", "string", "comment")
_OPEN, _CLOSE = "([{", ")]}"


def corpus_dir():
    """The folder of the shipped corpus (a Traversable: works from a checkout and from an installed package)."""
    return resources.files("lstm_book") / "data" / "stdlib_code"


@cache
def corpus(split: str = "train") -> str:
    """The text of the corpus: split "train" (132 modules, stored compressed) or "held_out" (4 modules never
    trained on)."""
    if split not in ("train", "held_out"):
        raise ValueError(f"split must be 'train' or 'held_out', got {split!r}")
    if split == "train":
        return lzma.decompress((corpus_dir() / "train.txt.xz").read_bytes()).decode("ascii")
    return (corpus_dir() / "held_out.txt").read_text(encoding="ascii")


def corpus_manifest() -> dict:
    """Which modules, from which Python, with each file's SHA-256 (see tools/code_corpus.py)."""
    return json.loads((corpus_dir() / "manifest.json").read_text(encoding="utf-8"))


def _offsets(text: str) -> list[int]:
    """The character offset at which each line starts (line 1 first, as tokenize counts)."""
    starts, pos = [0, 0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def text_features(text: str) -> dict[str, np.ndarray]:
    """The features above for every character of `text`: dict name -> array (len(text),) of floats.

    A snippet may stop inside a bracket or a string (a line typed by the reader): the lexer's tokens up to there are
    used, and what follows an unclosed string counts as string; no bracket or comment of its own is marked inside it
    (a bracket opened before it still holds).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    n = len(text)
    features = {name: np.zeros(n) for name in FEATURES}
    starts = _offsets(text)
    depth_change = np.zeros(n + 1)
    string_until = 0  # the end of an unclosed string: the lexer reads on inside it, and what it finds there is string
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            a = starts[tok.start[0]] + tok.start[1]
            if a < string_until:
                continue
            b = min(starts[tok.end[0]] + tok.end[1], n) if tok.end[0] < len(starts) else n
            if tok.type == tokenize.STRING or tok.type in _FSTRING:
                features["string"][a:b] = 1.0
            elif tok.type == tokenize.ERRORTOKEN and tok.string[:1] in "'\"":
                string_until = starts[tok.start[0] + 1] if tok.start[0] + 1 < len(starts) else n
                features["string"][a:string_until] = 1.0
            elif tok.type == tokenize.COMMENT:
                features["comment"][a:b] = 1.0
            elif tok.type == tokenize.OP and tok.string in _OPEN:
                depth_change[a + 1] += 1  # inside from the character after the bracket
            elif tok.type == tokenize.OP and tok.string in _CLOSE:
                depth_change[a] -= 1      # the closing bracket itself is outside
    except (tokenize.TokenError, IndentationError, SyntaxError) as err:
        if isinstance(err, tokenize.TokenError) and "string" in str(err.args[0]).lower():
            line, col = err.args[1]  # an unclosed string: from its start to the end
            features["string"][starts[line] + col:] = 1.0
    features["brackets"] = (np.cumsum(depth_change[:n]) > 0).astype(float)
    leading = 0
    at_start = True
    indent = features["indent"]
    for k, ch in enumerate(text):
        if ch == "\n":
            leading, at_start = 0, True
        elif at_start and ch == " ":
            leading += 1
        else:
            at_start = False
        indent[k] = leading
    return features


_FSTRING = {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, name)}


# -- the model: a character LSTM trained on the corpus ------------------------------------------------------------

MODEL_FILE = "code_lstm.npz"  # in lstm_book/data/, written by `make train-code` (tools/train_code_model.py)


@dataclass(frozen=True)
class TrainingSetup:
    """How chapter 8's model is trained (the defaults are what `make train-code` ran)."""

    embedding: int = 32      # the size of each character's vector
    hidden: int = 256        # memory cells
    streams: int = 64        # the text cut into this many parallel streams, read side by side (the batch)
    chunk: int = 128         # characters per stream per update; the state is carried from chunk to chunk
    updates: int = 4200
    lr: float = 3e-3         # Adam's step size at the start, falling along a cosine to lr_end at the last update
    lr_end: float = 3e-4
    max_norm: float = 1.0    # gradient clipping
    forget_bias: float = 1.0
    seed: int = 0
    dtype: str = "float32"   # training runs in float32 (see README, make bench); the chapter reads in float64


def vocabulary(text: str) -> np.ndarray:
    """The characters of `text`, sorted: a 1-d array of single characters, index order."""
    return np.array(sorted(set(text)))


def encode(text: str, vocab: np.ndarray) -> np.ndarray:
    """Each character of `text` as its index in `vocab` (ints); a character not in it raises, naming it."""
    text = check_text("text", text)
    if not isinstance(vocab, np.ndarray) or vocab.ndim != 1 or vocab.dtype.kind != "U":
        raise TypeError(f"vocab must be the model's vocabulary, a 1-d array of characters (as load_model returns it), "
                        f"got {type(vocab).__name__}")
    index = {ch: k for k, ch in enumerate(vocab.tolist())}
    unknown = sorted(set(text) - set(index))
    if unknown:
        raise ValueError(f"the model knows only the {len(index)} characters of its corpus; got {unknown[:5]!r}")
    return np.fromiter((index[ch] for ch in text), dtype=np.int64, count=len(text))


def streams(symbols: np.ndarray, n_streams: int) -> np.ndarray:
    """Cut one long text into n_streams equal pieces read side by side: (length, n_streams); the tail that does
    not fill a row is dropped."""
    length = len(symbols) // n_streams
    return symbols[: length * n_streams].reshape(n_streams, length).T


def new_model(setup: TrainingSetup, vocab_size: int):
    """The untrained model of `setup`: LanguageModel(LSTMCell(embedding, hidden)), in the setup's dtype."""
    from lstm_lite import LanguageModel, LSTMCell

    model = LanguageModel(LSTMCell(setup.embedding, setup.hidden, seed=setup.seed, forget_bias=setup.forget_bias),
                          vocab_size, seed=setup.seed)
    return model.astype(np.dtype(setup.dtype))


def train_code_model(setup: TrainingSetup = TrainingSetup(), text: str | None = None, progress=None):
    """Train the character LSTM on `text` (default: the corpus's training split) with Adam and clipping, reading
    `streams` side by side in chunks with the state carried (reset to zeros at the start of every pass).

    Returns (model, vocab, losses): the trained LanguageModel, its vocabulary and the loss of every update (nats
    per character). `progress`: an optional tqdm-like bar, advanced once per update.
    """
    from lstm_lite import train

    text = corpus("train") if text is None else text
    vocab = vocabulary(text)
    data = streams(encode(text, vocab), setup.streams)  # (L, B)
    model = new_model(setup, len(vocab))
    read = {"state": None, "start": 0}  # where the streams are, and the state carried from the chunk before

    def next_chunk(update):
        if read["start"] + setup.chunk + 1 > len(data):  # a new pass over the text: from the start, from an empty state
            read.update(state=None, start=0)
        a = read["start"]
        loss, grads, read["state"] = model.loss_and_grads(data[a:a + setup.chunk], data[a + 1:a + setup.chunk + 1],
                                                          read["state"])
        read["start"] += setup.chunk
        return loss, grads

    def lr(update):  # as nanoGPT's: from lr down to lr_end along half a cosine
        return setup.lr_end + 0.5 * (setup.lr - setup.lr_end) * (1 + np.cos(np.pi * update / max(1, setup.updates - 1)))

    history = train(next_chunk, model.params, setup.updates, lr=lr, max_norm=setup.max_norm,
                    progress=False if progress is None else progress)
    return model, vocab, history.loss


_LSTM_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def save_model(path, model, vocab, losses, provenance):
    """Write the model as a plain .npz (no pickle), float32, in PyTorch's layout (see tools/train_code_model.py).

    Every weight is first rounded to the nearest float16, three to four significant digits, and stored as that
    float32: the website's reader then carries the weights in half the bytes, exactly, and the chapter measures the
    weights it ships (the rounding moves the held-out bits per character by less than 0.001)."""
    arrays = {k: getattr(model.cell, k) for k in _LSTM_KEYS}
    arrays.update(embedding=model.embedding.weight, readout_weight=model.readout.weight, readout_bias=model.readout.bias)
    arrays = {k: np.asarray(v, np.float16).astype(np.float32) for k, v in arrays.items()}
    np.savez_compressed(path, **arrays, vocab=np.asarray(vocab, dtype="<U1"), loss=np.asarray(losses, np.float32),
                        provenance=np.array(json.dumps(provenance)))


def load_arrays(path=None) -> dict:
    """The shipped model's arrays by name (allow_pickle=False: nothing in the file can run code)."""
    source = resources.files("lstm_book") / "data" / MODEL_FILE if path is None else Path(path)
    with source.open("rb") as f, np.load(f, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def load_model(path=None, dtype=np.float64):
    """The shipped model as an lstm_lite LanguageModel (float64 by default: the chapter reads it closely), with its
    vocabulary and provenance: (model, vocab, provenance)."""
    from lstm_lite import LanguageModel, LSTMCell

    dtype = check_dtype("dtype", dtype)
    arrays = load_arrays(path)
    vocab = arrays["vocab"]
    model = LanguageModel(LSTMCell.from_torch(*(arrays[k] for k in _LSTM_KEYS)), len(vocab))
    for name, key in (("embedding.weight", "embedding"), ("readout.weight", "readout_weight"),
                      ("readout.bias", "readout_bias")):
        model.params[name][...] = arrays[key]  # in place: the float32 values, exactly, in float64
    return (model if dtype == np.float64 else model.astype(dtype)), vocab, json.loads(str(arrays["provenance"]))


# -- reading: what the model predicts, and which memory cells follow which feature -----------------------------------

BITS = np.log(2.0)  # nats per bit


def softmax(scores: np.ndarray) -> np.ndarray:
    """The model's scores for the next character (..., V) as probabilities that sum to 1 over the last axis:
    exp(score) / the sum of them, with the largest score taken off first so that exp cannot overflow."""
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def read(model, text: str, vocab: np.ndarray, **by_hand):
    """The model reads `text` as one stream from an empty state. Returns (trace, probabilities): the trace of its
    cell with the batch axis dropped (dict name -> array (N, H) for c, h and the four gates) and, for every
    character, the probability of each symbol coming next, (N, V). by_hand: gates set by hand, as in forward."""
    text = check_text("text", text, empty=False)
    trace, logits = model.forward(encode(text, vocab)[:, None], **by_hand)
    parts = {name: getattr(trace, name)[:, 0] for name in ("c", "h", "input", "forget", "candidate", "output")}
    return parts, softmax(logits[:, 0])


def read_on(model, text: str, vocab: np.ndarray, last=None, **by_hand):
    """`read`, for a text that changes a little at a time (the live reader, at each keystroke): the model reads on
    from the first character that differs from the text of `last` (what read_on returned the time before), from the
    state it had there, instead of from the start; from the start if `last` was read by another model or with other
    gates. Returns (trace, probabilities, last): the first two as `read` gives them (equal within rounding: the same
    steps, in other batches), and what to pass as `last` next time."""
    key = (id(model), repr(sorted(by_hand.items())))
    same = 0
    if last is not None and last[0] == key:
        old = last[1]
        limit = min(len(old), len(text))
        differ = [k for k, (a, b) in enumerate(zip(old[:limit], text[:limit])) if a != b][:1]
        same = differ[0] if differ else limit
    if same == 0:
        parts, p = read(model, text, vocab, **by_hand)
    else:
        kept, p_kept = last[2], last[3]
        if same == len(text):
            parts, p = {name: v[:same] for name, v in kept.items()}, p_kept[:same]
        else:
            state = {"h0": kept["h"][same - 1][None], "c0": kept["c"][same - 1][None]}
            trace, logits = model.forward(encode(text[same:], vocab)[:, None], state, **by_hand)
            parts = {name: np.concatenate([kept[name][:same], getattr(trace, name)[:, 0]]) for name in kept}
            p = np.concatenate([p_kept[:same], softmax(logits[:, 0])])
    return parts, p, (key, text, parts, p)


def bits_per_character(probabilities: np.ndarray, text: str, vocab: np.ndarray) -> float:
    """How surprised the model is by each next character, on average, in bits: -log2 p(next character)."""
    nxt = encode(text, vocab)[1:]
    return float(-np.mean(np.log(probabilities[np.arange(len(nxt)), nxt])) / BITS)


def correlations(values: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Pearson's r between a feature (N,) and each memory cell's values (N, H): (H,), 0 where a cell never moves."""
    v = values - values.mean(axis=0)
    f = feature - feature.mean()
    norm = np.sqrt((v * v).sum(axis=0) * (f * f).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 0, (v * f[:, None]).sum(axis=0) / norm, 0.0)


def best_cells(cell_state: np.ndarray, features: dict) -> dict:
    """For each feature, the memory cell whose cell state follows it most closely: name -> (cell, r), by |r|."""
    found = {}
    for name, feature in features.items():
        r = correlations(cell_state, feature)
        k = int(np.argmax(np.abs(r)))
        found[name] = (k, float(r[k]))
    return found


def sample(model, vocab: np.ndarray, prompt: str, length: int, temperature: float, seed: int = 0) -> str:
    """Let the model write: read `prompt`, then draw each next character from its probabilities sharpened
    (temperature < 1) or flattened (> 1) as p ** (1 / temperature), and feed it back in."""
    prompt, length = check_text("prompt", prompt, empty=False), check_count("length", length)
    temperature, seed = check_number("temperature", temperature), check_seed("seed", seed)
    if not temperature > 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    rng = np.random.default_rng(seed)
    trace, logits = model.forward(encode(prompt, vocab)[:, None])
    state = {"h0": trace.h[-1], "c0": trace.c[-1]}
    out = []
    for _ in range(length):
        k = int(rng.choice(len(vocab), p=softmax(logits[-1, 0] / temperature)))
        out.append(str(vocab[k]))
        trace, logits = model.forward(np.array([[k]]), state)
        state = {"h0": trace.h[-1], "c0": trace.c[-1]}
    return "".join(out)


# -- pictures ---------------------------------------------------------------------------------------------------

# Three pieces of the held-out code (never trained on), by their lines in lstm_book/data/stdlib_code/held_out.txt
SNIPPETS = {
    "a call": (240, 247),         # a call over three lines, a comment before it
    "a docstring": (36, 41),      # a comment, a def, a docstring
    "nested blocks": (109, 117),  # ifs inside a def inside a method
}
NEWLINE = "\u21b5"  # how a newline is drawn: it is a character the model reads too
GATE_ROWS = ("forget", "input", "output")  # the strips under each line, top to bottom


def snippet(name: str) -> tuple[int, str]:
    """(offset in the held-out text, text) of one of the SNIPPETS, its last newline included."""
    first, last = SNIPPETS[check_choice("name", name, SNIPPETS)]
    lines = corpus("held_out").split("\n")
    start = sum(len(line) + 1 for line in lines[: first - 1])
    return start, "\n".join(lines[first - 1 : last]) + "\n"


TITLE_CHARS = 92  # a line of the cell picture's title at 10 pt across its 7.8 inches, with room to spare


def cell_draw(text: str, values: np.ndarray, gates: dict, title: str, scale: float):
    """The picture of Karpathy et al.: each character of `text` on a background coloured by one memory cell's value
    (blue below 0, red above, white at 0; `scale` is the value drawn at full colour), and under every line three
    thin strips, the same memory cell's forget, input and output gates along the same characters (white 0, closed;
    black 1, open). values (N,), gates: name -> (N,). Returns the figure."""
    from matplotlib import colormaps

    from .figures import new_figure

    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    width = max(len(line) for line in lines) + 1  # + the newline
    strip, gap = 0.34, 0.4
    block = 1 + len(GATE_ROWS) * strip + gap
    below = 0.0
    title_lines = textwrap.wrap(title, TITLE_CHARS)  # whole, on at most two lines; two are always kept for it, so
    assert len(title_lines) <= 2, title  # that every choice of cell draws the same picture size for the same code
    head = 0.88 + 0.17  # inches above the text: two title lines and the two lines of legend
    fig = new_figure(7.8, head + 0.02 + below + 0.2 * block * len(lines))
    fig.set_layout_engine("none")  # the axes are placed by hand, one row of characters per line
    height = fig.get_figheight()
    ax = fig.add_axes((0.01, (0.01 + below) / height, 0.98, 1 - (head + below) / height))
    red_blue, greys = colormaps["RdBu_r"], colormaps["Greys"]
    pos = 0
    for row, line in enumerate(lines):
        y = -row * block
        n = len(line) + 1
        chars = list(line) + [NEWLINE]
        shade = red_blue(0.5 + 0.5 * np.clip(values[pos:pos + n] / scale, -1, 1))
        ax.imshow(shade[None], extent=(0, n, y, y + 1), interpolation="nearest", aspect="auto")
        dark = shade[:, :3] @ np.array([0.2126, 0.7152, 0.0722]) < 0.45  # white letters on a dark background
        for k, ch in enumerate(chars):
            if ch != " ":
                ax.text(k + 0.5, y + 0.5, ch, ha="center", va="center", family="DejaVu Sans Mono", fontsize=9,
                        color="white" if dark[k] else "0.45" if ch == NEWLINE else "black")
        for g, name in enumerate(GATE_ROWS):
            y0 = y - (g + 1) * strip
            ax.imshow(greys(gates[name][pos:pos + n])[None], extent=(0, n, y0, y0 + strip), interpolation="nearest",
                      aspect="auto")
        pos += n
    ax.set(xlim=(-0.2, max(width, 66)), ylim=(-(len(lines) - 1) * block - len(GATE_ROWS) * strip - 0.1, 1.05))
    ax.axis("off")
    top = 1 - 0.06 / fig.get_figheight()
    fig.text(0.01, top, "\n".join(title_lines), fontsize=10, ha="left", va="top", linespacing=1.15)
    for k, line in enumerate((f"Background: the memory cell's state c, blue below 0, red above, full colour at "
                              f"\u00b1{scale:.3g} and beyond (this cell's own scale).",
                              "The three strips under each line: its forget, input and output gates, white 0 (shut), "
                              "black 1 (open).")):
        fig.text(0.01, top - (0.42 + 0.18 * k) / fig.get_figheight(), line, fontsize=9, ha="left", va="top", color="0.25")
    return fig


def frequency_bits(train: str, held_out: str) -> float:
    """Bits per character of the best guess that ignores context: each character as often as in `train`."""
    chars, counts = np.unique(np.array(list(train)), return_counts=True)
    p = dict(zip(chars.tolist(), counts / counts.sum()))
    return float(-np.mean([np.log2(p[ch]) for ch in held_out[1:]]))


# -- the chapter's numbers, from the shipped weights -------------------------------------------------------------

FEATURE_WORDS = {
    "indent": "the indentation (leading spaces read so far on the line)",
    "brackets": "inside brackets",
    "string": "inside a string",
    "comment": "inside a comment",
}


@cache
def study():
    """Everything chapter 8 measures, computed once from the shipped weights on the held-out code (float64):
    dict with model, vocab, provenance, the untrained model, their readings of the held-out text, the features,
    the found cells of both and the bits per character of every baseline."""
    model, vocab, made = load_model()
    untrained = new_model(dataclasses.replace(TrainingSetup(**made["setup"]), dtype="float64"), len(vocab))
    text = corpus("held_out")
    features = text_features(text)
    reading, p = read(model, text, vocab)
    untrained_reading, p0 = read(untrained, text, vocab)
    return {
        "model": model, "vocab": vocab, "made": made, "untrained": untrained, "text": text, "features": features,
        "reading": reading, "untrained_reading": untrained_reading,
        "found": best_cells(reading["c"], features), "untrained_found": best_cells(untrained_reading["c"], features),
        "bits": {"uniform": float(np.log2(len(vocab))), "frequency": frequency_bits(corpus("train"), text),
                 "untrained": bits_per_character(p0, text, vocab), "trained": bits_per_character(p, text, vocab)},
        "probabilities": p,
    }


def found_table(s=None) -> str:
    """The found cells as a Markdown table: feature, the trained model's best cell and r, the untrained one's."""
    s = study() if s is None else s
    rows = ["| feature of the text | trained: best memory cell | r | untrained: best memory cell | r |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for name in FEATURES:
        (k, r), (k0, r0) = s["found"][name], s["untrained_found"][name]
        rows.append(f"| {FEATURE_WORDS[name]} | {k} | {r:+.2f} | {k0} | {r0:+.2f} |")
    return "\n".join(rows)


def gates_at(s, cell: int, where: np.ndarray) -> dict:
    """The mean of each of a memory cell's gates (and its candidate) over the characters marked by `where`: a
    boolean mask (N,) over the text of `s`, or the indices of characters in it."""
    reading = s["reading"]
    n, size = reading["c"].shape
    cell = check_index("cell", cell, size, f"one of the model's {size} memory cells")
    mask = np.asarray(where)
    if mask.dtype == bool and mask.shape == (n,):
        picked = np.flatnonzero(mask)
    elif mask.ndim == 1 and (mask.size == 0 or mask.dtype.kind in "iu"):
        picked = mask.astype(np.int64)
        if picked.size and (picked.min() < 0 or picked.max() >= n):
            raise ValueError(f"where must hold indices from 0 to {n - 1} (characters of the text), got values from "
                             f"{picked.min()} to {picked.max()}")
    else:
        raise TypeError(f"where must be a boolean mask of shape ({n},), one value per character of the text, or an "
                        f"array of indices, got {mask.dtype} of shape {mask.shape}")
    if picked.size == 0:
        came = f"a mask of {n} characters, none of them True" if mask.dtype == bool else "no indices"
        raise ValueError(f"where must select at least one character, got {came}: a mean over nothing is no gate value")
    return {name: float(reading[name][picked, cell].mean()) for name in ("input", "forget", "candidate", "output")}


def forced_brackets(s=None, gate="forget", value=1.0):
    """What the model predicts when the bracket cell's gate is held by hand: the mean probability it gives to ')'
    where ')' comes next in the held-out code, computed and forced; and the bits per character, both ways."""
    gate, value = check_choice("gate", gate, GATE_ROWS), check_number("value", value, 0, 1)
    s = study() if s is None else s
    cell = s["found"]["brackets"][0]
    text, vocab = s["text"], s["vocab"]
    _, p_forced = read(s["model"], text, vocab, **{gate: {cell: value}})
    nxt = encode(text, vocab)[1:]
    close = int(np.flatnonzero(vocab == ")")[0])
    where = np.flatnonzero(nxt == close)
    return {"cell": cell, "cells": s["model"].cell.hidden_size, "gate": gate, "value": value,
            "p_close": float(s["probabilities"][where, close].mean()), "p_close_forced": float(p_forced[where, close].mean()),
            "bits": s["bits"]["trained"], "bits_forced": bits_per_character(p_forced, text, vocab)}


CELL_CHOICES = ("brackets", "indent", "string", "comment", "a random cell", "untrained: brackets")


def cell_choice(choice: str, s=None):
    """(reading, memory cell, title) for one of CELL_CHOICES: a found cell of the trained model, a random one of
    its other cells (seeded), or the untrained model's best match for brackets (the honest baseline)."""
    s = study() if s is None else s
    if not isinstance(choice, str):
        raise TypeError(f"choice must be one of {CELL_CHOICES}, got {choice!r} of type {type(choice).__name__}")
    if choice in FEATURES:
        k, r = s["found"][choice]
        return s["reading"], k, f"Trained, memory cell {k}: the best match for {FEATURE_WORDS[choice]} (r = {r:+.2f})"
    if choice == "a random cell":
        others = sorted(set(range(s["model"].cell.hidden_size)) - {k for k, _ in s["found"].values()})
        k = int(np.random.default_rng(8).choice(others))
        return s["reading"], k, f"Trained, memory cell {k}, picked at random: no feature chose it"
    if choice == "untrained: brackets":
        k, r = s["untrained_found"]["brackets"]
        return s["untrained_reading"], k, (f"Untrained, memory cell {k}: its best match for being inside brackets "
                                          f"(r = {r:+.2f})")
    raise ValueError(f"choice must be one of {CELL_CHOICES}, got {choice!r}")


def cell_scale(reading, k) -> float:
    """The value drawn at full colour for memory cell k of a reading: the 99th percentile of |c| over the held-out
    code (1 for a cell that stays at 0). The static pictures, the live reader and the website's reader share it."""
    return float(np.percentile(np.abs(reading["c"][:, k]), 99)) or 1.0


def cells_compute(choice: str, code: str, s=None) -> dict:
    """One chosen memory cell (CELL_CHOICES) on one of the SNIPPETS of the held-out code: the text, the cell's state c
    and its gates along it, the picture's title and the cell's colour scale."""
    reading, k, title = cell_choice(choice, s)
    start, text = snippet(check_choice("code", code, SNIPPETS))
    part = slice(start, start + len(text))
    return {"choice": choice, "code": code, "text": text, "values": reading["c"][part, k],
            "gates": {g: reading[g][part, k] for g in GATE_ROWS}, "title": title, "scale": cell_scale(reading, k)}


def cells_draw(r):
    """The paper's picture of the result of cells_compute."""
    return cell_draw(r["text"], r["values"], r["gates"], r["title"], r["scale"])


def cells_alt(r) -> str:
    """What the picture of the result of cells_compute shows, in words."""
    c = r["values"]
    return (f"{r['title']}. The code '{r['code']}' from the held-out modules, each character on a background coloured "
            f"by this memory cell's state, which runs from {c.min():.2f} to {c.max():.2f} here (full colour at "
            f"\u00b1{r['scale']:.3g}), with its forget, input and output gates as grey strips under every line.")


def _cells_picture():
    from .sliders import SliderPicture

    return SliderPicture(cells_compute, cells_draw, cells_alt, grid={"choice": list(CELL_CHOICES), "code": list(SNIPPETS)},
                         descriptions={"choice": "memory cell", "code": "code"})


def cells_static(link=None, note=True):
    """The website's picture: choose the memory cell and the code; every combination is drawn in advance."""
    return _cells_picture().static(note=note, link=link)


FORCINGS = (("forget", 1.0), ("forget", 0.0), ("input", 0.0))  # what chapter 8 holds by hand in the bracket cell


def forcing_draw(results):
    """Bars: the mean probability the model gives to ')' where ')' comes next in the held-out code, with every gate
    computed and with the bracket cell's gate held by hand (results: dicts from forced_brackets)."""
    from .figures import OKABE_ITO, new_figure

    fig = new_figure(7.8, 2.8)
    ax = fig.add_subplot()
    names = ["every gate computed"] + [f"{r['gate']} gate held at {r['value']:g}" for r in results]
    values = [results[0]["p_close"]] + [r["p_close_forced"] for r in results]
    bars = ax.barh(names[::-1], values[::-1], color=[OKABE_ITO["vermillion"]] * len(results) + [OKABE_ITO["blue"]])
    for bar, v in zip(bars, values[::-1]):
        ax.text(v + 0.004, bar.get_y() + bar.get_height() / 2, f"{v:.3f}", va="center", fontsize=9)
    ax.set(xlim=(0, max(values) * 1.25), xlabel="mean probability given to ')' where ')' comes next",
           title=f"One memory cell of {results[0]['cells']} held by hand: cell {results[0]['cell']}, the bracket cell")
    return fig


def reading_compute(code: str, choice: str = "brackets", hold: bool = False, gate: str = "forget", value: float = 1.0,
                    s=None, memo=None):
    """What reading_live shows (reading_html): the chosen memory cell reading the reader's own code (characters the model does not
    know become '?', and `unknown` lists them), with one of its gates held at `value` if `hold`. `empty` says that
    nothing but blanks was typed (the model then reads one space). `memo`: a dict kept from one call to the next,
    to read on from the first changed character (read_on) rather than from the start."""
    code = "" if code is None else check_text("code", code)
    hold, gate = check_flag("hold", hold), check_choice("gate", gate, GATE_ROWS)
    value = check_number("value", value, 0, 1)
    s = study() if s is None else s
    reading, k, title = cell_choice(choice, s)
    model = s["untrained"] if choice.startswith("untrained") else s["model"]
    known = set(s["vocab"].tolist())
    code = code.replace("\t", "    ")
    unknown = sorted({ch for ch in code if ch not in known})
    text = "".join(ch if ch in known else "?" for ch in (code if code.strip() else " "))
    text = text if text.endswith("\n") else text + "\n"

    def reads(role, **by_hand):
        if memo is None:
            return read(model, text, s["vocab"], **by_hand)
        parts, p, memo[role] = read_on(model, text, s["vocab"], memo.get(role), **by_hand)
        return parts, p

    parts, p = reads("held" if hold else "free", **({gate: {k: value}} if hold else {}))
    p_free = reads("free")[1] if hold else p
    if hold:
        title += f", its {gate} gate held at {value:g}"
    scale = cell_scale(reading, k)
    close = int(np.flatnonzero(s["vocab"] == ")")[0])
    last = len(text) - 2  # the last character typed (a newline is added after it)
    return {"text": text, "values": parts["c"][:, k], "gates": {g: parts[g][:, k] for g in GATE_ROWS},
            "title": title, "scale": scale, "p_close": float(p_free[max(last, 0), close]),
            "p_close_held": float(p[max(last, 0), close]) if hold else None, "unknown": unknown,
            "empty": not code.strip()}


def reader_sentences(r):
    """What the live reader says under the code: what the model predicts after the last character (held and not),
    and which characters it could not read ('' if none)."""
    if r["empty"]:
        said = "Nothing to read yet: type some code in the box above."
    else:
        said = f"After your last character the model gives ')' a probability of {r['p_close']:.3f}"
        said += "." if r["p_close_held"] is None else f" with every gate computed, {r['p_close_held']:.3f} with the gate held."
    named = [repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}" for ch in r["unknown"]]
    unread = (f"The model knows only the 96 characters of its corpus (plain ASCII): it read {', '.join(named[:8])}"
              f"{', ...' if len(named) > 8 else ''} as '?'." if named else "")
    return said, unread


READER_EXAMPLE = "result = f(a, [b, c])  # a comment\nx = g('a string (not a bracket)', (y"  # what the box starts with
READER_SHADES, READER_GREYS = 33, 17  # the live reader's colours: c in 33 shades from blue to red, a gate in 17 greys


@cache
def _reader_colours():
    """The live reader's colours, as CSS: (33 shades of c from blue to red, whether each is dark enough for white
    letters, 17 greys of a gate from white to black), from the colour maps of `cell_draw`."""
    from matplotlib import colormaps

    def css(rgba):
        return "#{:02x}{:02x}{:02x}".format(*(int(round(v * 255)) for v in rgba[:3]))

    shades = [colormaps["RdBu_r"](k / (READER_SHADES - 1)) for k in range(READER_SHADES)]
    dark = [float(np.dot(rgba[:3], [0.2126, 0.7152, 0.0722])) < 0.45 for rgba in shades]
    greys = [css(colormaps["Greys"](k / (READER_GREYS - 1))) for k in range(READER_GREYS)]
    return [css(rgba) for rgba in shades], dark, greys


def _stripes(levels, colours):
    """A CSS background of one band per character (1ch wide), each in colours[level]; neighbours of one colour share
    a band. A line of code and each of its strips are one element so, not one per character: the browser lays out
    a few hundred elements for 40 lines, not thousands."""
    bands, start = [], 0
    for k in range(1, len(levels) + 1):
        if k == len(levels) or levels[k] != levels[start]:
            bands.append(f"{colours[levels[start]]} {start}ch {k}ch")
            start = k
    return f"background:linear-gradient(90deg,{','.join(bands)})"


READER_LEGEND = ("Background: the memory cell's state c, blue below 0, red above. The three strips under each line: "
                 "its forget, input and output gates, white 0 (shut), black 1 (open).")


def reading_rows_html(r):
    """The lines of the reader's picture as HTML: each line of `r["text"]` on the shades of the memory cell's state c
    (white letters where the shade is dark), then its three gate strips and a gap. The website's reader
    (book/_static_site/browser_reader.js) writes the same string from its own numbers; a test holds the two equal."""
    import html

    shades, dark, greys = _reader_colours()
    shade = np.round((0.5 + 0.5 * np.clip(r["values"] / r["scale"], -1, 1)) * (READER_SHADES - 1)).astype(int).tolist()
    grey = {g: np.round(np.clip(r["gates"][g], 0, 1) * (READER_GREYS - 1)).astype(int).tolist() for g in GATE_ROWS}
    rows, pos = [], 0
    for line in r["text"].split("\n")[:-1]:
        chars = list(line) + [NEWLINE]
        end = pos + len(chars)
        letters, start = [], 0  # runs of white letters (on dark shades) in a span, the rest as it is
        for k in range(1, len(chars) + 1):
            if k == len(chars) or dark[shade[pos + k]] != dark[shade[pos + start]]:
                run = html.escape("".join(chars[start:k]))
                letters.append(f'<b style="color:#fff">{run}</b>' if dark[shade[pos + start]] else run)
                start = k
        rows.append(f'<div><span style="white-space:pre;{_stripes(shade[pos:end], shades)}">{"".join(letters)}'
                    "</span></div>")
        rows += [f'<i aria-hidden="true" style="width:{len(chars)}ch;{_stripes(grey[g][pos:end], greys)}"></i>'
                 for g in GATE_ROWS]
        rows.append('<div style="height:6px"></div>')
        pos = end
    return "".join(rows)


def reading_html(r):
    """The picture of `cell_draw` as HTML, for the live reader: the reader's code as text the browser sets itself
    (crisp at 14 px, selectable, read by a screen reader), each character on the colour of the memory cell's state c
    (white letters where it is dark), and under each line the three strips of its gates (white 0, black 1), with the
    colours of `cell_draw` in 33 and 17 steps. Redrawing it is setting a string (about 60 bytes a character): no
    figure, no PNG, so it follows the keyboard at 40 lines."""
    import html

    said, unread = reader_sentences(r)
    return ('<div class="lstm-reader" style="font-size:14px;line-height:1.4;color:#111;background:#fff;padding:4px">'
            f'<div style="font-weight:600">{html.escape(r["title"])}</div>'
            f'<div style="color:#444">{html.escape(READER_LEGEND, quote=False)}</div>'
            "<div style=\"font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;margin:8px 0\">"
            '<style>.lstm-reader i{display:block;height:4px}.lstm-reader b{font-weight:inherit}</style>'
            f'{reading_rows_html(r)}</div><div>{html.escape(said)}</div><div style="min-height:1.4em">{html.escape(unread)}'
            "</div></div>")


def reading_live():
    """The live version (a running kernel only): type code, choose a memory cell, hold one of its gates by hand."""
    import ipywidgets as widgets

    from .sliders import live_plot

    s = study()
    controls = {
        "code": widgets.Textarea(value=READER_EXAMPLE,
                                 description="your code", layout=widgets.Layout(width="95%", height="70px")),
        "choice": widgets.Dropdown(options=list(CELL_CHOICES), value="brackets", description="memory cell"),
        "hold": widgets.Checkbox(value=False, description="hold one of its gates by hand"),
        "gate": widgets.Dropdown(options=["forget", "input", "output"], value="forget", description="gate"),
        "value": widgets.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="held at",
                                     continuous_update=False),
    }
    memo = {}  # what was read at the last keystroke: the next reads on from the first changed character
    return live_plot(lambda **v: reading_compute(**v, s=s, memo=memo), reading_html, controls)


# -- the website's reader: the same model, run by the reader's browser ----------------------------------------------

BROWSER_MODEL_JS = "reading_code_model.js"  # written into the site's _static/ by book/_ext/browser_reader.py
BROWSER_READER_CLASS = "lstm-browser-reader"  # the mark of the place where book/_static_site/browser_reader.js draws it


def _base64_float16(array) -> str:
    """The array as little-endian float16 in base64; refuses one that float16 does not hold exactly."""
    import base64

    half = np.ascontiguousarray(array, dtype="<f2")
    if not np.array_equal(half.astype(np.float64), np.asarray(array, np.float64)):
        raise ValueError("the weights are not float16 values: ship them with save_model, which rounds them so")
    return base64.b64encode(half.tobytes()).decode("ascii")


BROWSER_CHOICES = tuple(c for c in CELL_CHOICES if not c.startswith("untrained"))  # the website's: the trained model


def browser_model(s=None) -> dict:
    """What the website's reader needs to run chapter 8's model with no Python (book/_static_site/browser_reader.js):
    the trained model's parameters (LanguageModel.params, PyTorch's layout, as little-endian float16 in base64: the
    shipped values exactly, see save_model), their shapes, the vocabulary, the index of ')', and for each of
    BROWSER_CHOICES the memory cell, title and colour scale that the live reader (reading_compute) uses, with its
    colours (33 shades of c, which are dark, 17 greys). The untrained model stays out: it would add 0.65 MB (gzipped)
    to the page's 2.76 MB, past the 3 MB a page may weigh (tests/test_site.py); its cell is in the pictures above."""
    s = study() if s is None else s
    shades, dark, greys = _reader_colours()
    choices = []
    for choice in BROWSER_CHOICES:
        reading, cell, title = cell_choice(choice, s)
        choices.append({"name": choice, "model": "trained", "cell": cell, "title": title,
                        "scale": cell_scale(reading, cell)})
    models = {"trained": {key: {"shape": list(value.shape), "float16": _base64_float16(value)}
                          for key, value in s["model"].params.items()}}
    vocab = "".join(s["vocab"].tolist())
    return {"vocab": vocab, "close": vocab.index(")"), "models": models, "choices": choices, "gates": list(GATE_ROWS),
            "newline": NEWLINE, "legend": READER_LEGEND, "example": READER_EXAMPLE,
            "shades": shades, "dark": dark, "greys": greys}


def browser_model_js(s=None) -> str:
    """browser_model as a script that the page loads with <script src> (a fetch would fail from file://): it sets
    window.LSTM_READER_MODEL."""
    return ("// Written at build time by book/_ext/browser_reader.py from lstm_book.reading_code.browser_model: chapter 8's\n"
            "// model for the website's reader (book/_static_site/browser_reader.js). Do not edit.\n"
            f"window.LSTM_READER_MODEL = {json.dumps(browser_model(s), separators=(',', ':'))};\n")


def browser_reader():
    """Where the website's reader goes: a place that book/_static_site/browser_reader.js fills on the website (hidden
    until it does), and in a running notebook a note that says so (the site's stylesheet hides it). No script: in
    JupyterLab and Colab nothing runs, and the live reader (reading_live) does the same in Python."""
    from IPython.display import HTML

    return HTML(f'<div class="{BROWSER_READER_CLASS}" style="display:none"></div>'
                '<small class="lstm-note-notebook"><i>On the website a box here runs this model in the browser, in '
                "JavaScript; in a running notebook the live reader above does the same in Python.</i></small>")


@exercise("reading-code-1", wrong=float(np.log2(96)))
def _bits_for_four(answer):
    bits = number(answer)
    if abs(bits - 2.0) <= 0.01:
        return Verdict(True, "Two bits: two yes/no questions pick one of four. A fair guess among 96 costs "
                             f"log2(96) = {np.log2(96):.2f} bits.")
    if abs(bits - np.log2(96)) <= 0.01:
        return Verdict(False, "That is the fair guess among all 96 characters; the question asks for 4 equally "
                              "likely ones. Hint: -log2(1/4).")
    if abs(bits + 2.0) <= 0.01:
        return Verdict(False, "The sign is flipped: log2(1/4) = -2, and the bits are minus that, -log2 of the "
                              "probability, so they are never negative.")
    if abs(bits - 0.25) <= 0.001:
        return Verdict(False, "1/4 is the probability of each of the 4; the bits are -log2 of it.")
    return Verdict(False, f"{shown(bits)} bits is not it. Hint: each of the 4 has probability 1/4, and the bits are "
                          "-log2 of the probability of what came.")


BELT_GATES = ("input", "forget", "output")
BELT_GATES_SHOWN = ", ".join(key_code(g) for g in BELT_GATES)


@exercise("reading-code-2", wrong={"input": 0.0})
def _belt_holds_only_this_step(answer):
    form = code('{"forget": 0.5}')
    if not isinstance(answer, dict) or len(answer) != 1:
        got = (described(answer) if not isinstance(answer, dict) else "an empty dict" if not answer else
               f"a dict with {len(answer)} keys, {', '.join(key_code(k) for k in answer)}")
        raise AnswerError(f"expected a dict with one gate and its value, such as {form}, got {got}")
    (gate, value), = answer.items()
    if gate not in BELT_GATES:
        raise AnswerError(f"expected one of the gates {BELT_GATES_SHOWN} as the key, got {code(repr(gate)[:40])}")
    try:
        value = number(value)
    except AnswerError as err:
        raise AnswerError(f"for {key_code(gate)}, {err}") from None
    if why := gates_out_of_range({gate: value}):
        return Verdict(False, why)
    if gate == "forget" and value == 0.0:
        return Verdict(True, "With the forget gate at 0, c = 0 · c_prev + i · g: the belt holds only what this "
                             "step writes.")
    if gate == "input" and value == 0.0:
        return Verdict(False, "The input gate at 0 blocks every write: the belt then keeps only what it had. "
                              "Hint: which gate multiplies c_prev?")
    if gate == "output":
        return Verdict(False, "The output gate decides what h shows, not what the belt keeps. Hint: c = f · c_prev "
                              "+ i · g.")
    if gate == "forget":
        return Verdict(False, f"With the forget gate at {shown(value)} the belt still keeps {shown(value)} of c_prev: "
                              "c = f · c_prev + i · g. Which forget value keeps none of it?")
    return Verdict(False, f"The input gate at {shown(value)} sets how much of this step's candidate is written, but the "
                          "belt still keeps f · c_prev from before, whatever the input gate. Hint: which gate "
                          "multiplies c_prev?")
