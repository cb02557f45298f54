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

import io
import json
import tokenize
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

FEATURES = ("indent", "brackets", "string", "comment")
_OPEN, _CLOSE = "([{", ")]}"


def corpus_dir():
    """The folder of the shipped corpus (a Traversable: works from a checkout and from an installed package)."""
    return resources.files("lstm_book") / "data" / "stdlib_code"


@cache
def corpus(split: str = "train") -> str:
    """The text of the corpus: split "train" (30 modules) or "held_out" (4 modules never trained on)."""
    if split not in ("train", "held_out"):
        raise ValueError(f"split must be 'train' or 'held_out', got {split!r}")
    return (corpus_dir() / f"{split}.txt").read_text(encoding="ascii")


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
    used, and what follows an unclosed string counts as string.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    n = len(text)
    features = {name: np.zeros(n) for name in FEATURES}
    starts = _offsets(text)
    depth_change = np.zeros(n + 1)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            a = starts[tok.start[0]] + tok.start[1]
            b = min(starts[tok.end[0]] + tok.end[1], n) if tok.end[0] < len(starts) else n
            if tok.type == tokenize.STRING or tok.type in _FSTRING:
                features["string"][a:b] = 1.0
            elif tok.type == tokenize.ERRORTOKEN and tok.string[:1] in "'\"":
                features["string"][a:starts[tok.start[0] + 1] if tok.start[0] + 1 < len(starts) else n] = 1.0
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
    hidden: int = 64         # memory cells
    streams: int = 64        # the text cut into this many parallel streams, read side by side (the batch)
    chunk: int = 128         # characters per stream per update; the state is carried from chunk to chunk
    updates: int = 3300
    lr: float = 4e-3
    max_norm: float = 2.0    # gradient clipping
    forget_bias: float = 1.0
    seed: int = 0
    dtype: str = "float32"   # training runs in float32 (see README, make bench); the chapter reads in float64


def vocabulary(text: str) -> np.ndarray:
    """The characters of `text`, sorted: a 1-d array of single characters, index order."""
    return np.array(sorted(set(text)))


def encode(text: str, vocab: np.ndarray) -> np.ndarray:
    """Each character of `text` as its index in `vocab` (ints); a character not in it raises, naming it."""
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
    from lstm_lite import Adam, clip_grad_norm

    text = corpus("train") if text is None else text
    vocab = vocabulary(text)
    data = streams(encode(text, vocab), setup.streams)  # (L, B)
    model = new_model(setup, len(vocab))
    opt = Adam(model.params, lr=setup.lr)
    losses = np.empty(setup.updates)
    state, start = None, 0
    for update in range(setup.updates):
        if start + setup.chunk + 1 > len(data):  # a new pass over the text: from the start, from an empty state
            state, start = None, 0
        loss, grads, state = model.loss_and_grads(data[start:start + setup.chunk],
                                                  data[start + 1:start + setup.chunk + 1], state)
        grads, _ = clip_grad_norm(grads, setup.max_norm)
        opt.step(grads)
        losses[update] = loss
        start += setup.chunk
        if progress is not None:
            progress.update()
    return model, vocab, losses


_LSTM_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def save_model(path, model, vocab, losses, provenance):
    """Write the model as a plain .npz (no pickle), float32, in PyTorch's layout (see tools/train_code_model.py)."""
    arrays = {k: getattr(model.cell, k) for k in _LSTM_KEYS}
    arrays.update(embedding=model.embedding.weight, readout_weight=model.readout.weight, readout_bias=model.readout.bias)
    arrays = {k: np.asarray(v, np.float32) for k, v in arrays.items()}
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

    arrays = load_arrays(path)
    vocab = arrays["vocab"]
    model = LanguageModel(LSTMCell.from_torch(*(arrays[k] for k in _LSTM_KEYS)), len(vocab))
    for name, key in (("embedding.weight", "embedding"), ("readout.weight", "readout_weight"),
                      ("readout.bias", "readout_bias")):
        model.params[name][...] = arrays[key]  # in place: the float32 values, exactly, in float64
    return (model if dtype == np.float64 else model.astype(dtype)), vocab, json.loads(str(arrays["provenance"]))
