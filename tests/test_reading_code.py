"""Chapter 8's helpers: the shipped corpus is what tools/code_corpus.py builds, and the features of the text are
what a reader would mark by hand."""

from __future__ import annotations

import importlib.util
import platform
from pathlib import Path

import numpy as np
import pytest

from lstm_book.reading_code import FEATURES, corpus, corpus_dir, corpus_manifest, text_features

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("code_corpus", ROOT / "tools" / "code_corpus.py")
code_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(code_corpus)


def marks(text, name):
    return "".join(str(int(v))[-1] for v in text_features(text)[name])


def test_the_shipped_corpus_is_whole_and_plain():
    made = corpus_manifest()
    for split in ("train", "held_out"):
        text = corpus(split)
        modules = [m for m in made["modules"].values() if m["split"] == split]
        assert len(text) == sum(m["chars"] for m in modules) + len(made["separator"]) * (len(modules) - 1)
        assert text.isascii() and "\t" not in text and "\r" not in text
    assert len(made["modules"]) == 34 and sum(m["split"] == "held_out" for m in made["modules"].values()) == 4
    assert not set(corpus("held_out")) - set(corpus("train")), "a held-out character the model never saw"
    licence = (corpus_dir() / "LICENSE-PSF.txt").read_text(encoding="utf-8")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in licence


def test_the_corpus_is_rebuilt_bit_for_bit_on_its_python(tmp_path):
    made = corpus_manifest()
    if platform.python_version() == made["python"]:
        code_corpus.build(tmp_path)
        for name in ("train.txt", "held_out.txt", "manifest.json", "LICENSE-PSF.txt"):
            assert (tmp_path / name).read_bytes() == (corpus_dir() / name).read_bytes(), name
    else:  # another Python has other sources: the tool still builds a corpus of the same modules
        rebuilt = code_corpus.build(tmp_path)
        assert list(rebuilt["modules"]) == list(made["modules"])


def test_the_tool_refuses_a_module_that_is_not_plain_ascii(tmp_path):
    (tmp_path / "odd.py").write_bytes("s = 'caf\u00e9'\n".encode())
    with pytest.raises(UnicodeDecodeError):
        code_corpus.module_text("odd", tmp_path)


def test_indent_counts_leading_spaces_and_resets_at_the_newline():
    text = "if x:\n    y = 1\n"
    assert marks(text, "indent") == "000000123444444" + "0"


def test_brackets_strings_and_comments_are_told_apart():
    text = 's = f("(", [1,\n  2])  # (\n'
    #       0123456789...: f( opens at 5 (inside from 6), ]) close at 18 and 19, the # comment runs from 22 to 24
    assert marks(text, "brackets") == "0" * 6 + "1" * 13 + "0" * 7  # the "(" in the string and the comment: not brackets
    assert marks(text, "string") == "0" * 6 + "111" + "0" * 17
    assert marks(text, "comment") == "0" * 22 + "111" + "0"


@pytest.mark.parametrize("snippet, name, expected", [
    ('print((1, "ab', "string", "0000000000111"),   # an unclosed string runs to the end
    ('print((1, "ab', "brackets", "0000001111111"),
    ('x = """doc\n(more', "string", "0000111111111111"),  # a docstring is a string, its brackets are not brackets
    ('x = """doc\n(more', "brackets", "0" * 16),
])
def test_a_snippet_may_stop_anywhere(snippet, name, expected):
    assert marks(snippet, name) == expected


def test_features_cover_every_character_of_the_corpus():
    text = corpus("held_out")
    features = text_features(text)
    assert set(features) == set(FEATURES)
    assert all(f.shape == (len(text),) for f in features.values())
    lines = text.split("\n")
    assert features["indent"].max() == max(len(line) - len(line.lstrip(" ")) for line in lines)
    for name in ("brackets", "string", "comment"):
        assert 0.01 < features[name].mean() < 0.6 and set(np.unique(features[name])) == {0.0, 1.0}


def test_text_must_be_text():
    with pytest.raises(TypeError, match="text must be a str, got bytes"):
        text_features(b"x = 1")
    with pytest.raises(ValueError, match="split must be 'train' or 'held_out', got 'test'"):
        corpus("test")
