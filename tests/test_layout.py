"""The layout shows the design: lstm_lite is the engine alone, lstm_book holds one module per chapter.

- `import lstm_lite` loads neither matplotlib nor ipywidgets nor lstm_book, and no module of lstm_lite imports
  lstm_book (the dependency runs one way);
- lstm_lite stays small enough to read in one sitting: at most 740 lines of code, docstrings and comments not
  counted (tools/code_lines.py counts them). It was 650 until chapter 8 needed a model that reads text (Embedding,
  LanguageModel: a loss at every step, the state carried), gates set per memory cell, and float32 to train in minutes;
- every chapter notebook notebooks/NN_name.ipynb has its module lstm_book.name (listed in lstm_book.CHAPTERS) and
  its tests tests/test_name.py, and imports its own module.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import lstm_book

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import code_lines  # noqa: E402

ENGINE = ROOT / "lstm_lite"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_ENGINE_LINES = 740


def test_importing_the_engine_loads_no_plotting_no_widgets_and_not_the_book():
    code = ("import sys, lstm_lite; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'lstm_book', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"import lstm_lite also imported {out.strip()}"


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_no_engine_module_imports_the_book(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    allowed = {"numpy", "tqdm", "dataclasses", "numbers"}
    assert imported <= allowed, f"{path.name} imports {sorted(imported - allowed)}: the engine needs numpy and tqdm only"


def test_the_engine_is_small_enough_to_read_in_one_sitting():
    counts = code_lines.count_tree(ENGINE)
    total = sum(counts.values())
    assert total <= MAX_ENGINE_LINES, f"lstm_lite has {total} lines of code (at most {MAX_ENGINE_LINES}): {counts}"


def test_the_line_counter_skips_docstrings_and_comments(tmp_path):
    path = tmp_path / "m.py"
    path.write_text('"""Doc\n\nmore doc."""\n\n# a comment\nx = 1  # and a comment\n\n\ndef f():\n'
                    '    """Doc."""\n    return (x +\n            1)\n', encoding="utf-8")
    assert code_lines.count(path) == 4  # x = 1, def f(), and the two lines of the return


def test_every_chapter_has_its_module_and_its_tests():
    chapters = [path.stem[3:] for path in NOTEBOOKS]  # 05_lstm_gates -> lstm_gates
    assert tuple(chapters) == lstm_book.CHAPTERS
    book_modules = {p.stem for p in (ROOT / "lstm_book").glob("*.py")} - {"__init__"}
    shared = {"figures", "sliders", "exercises", "checks"}
    assert book_modules == set(chapters) | shared, f"modules that are no chapter's: {book_modules - set(chapters) - shared}"
    for chapter in chapters:
        assert (ROOT / "tests" / f"test_{chapter}.py").exists(), f"chapter {chapter} has no tests/test_{chapter}.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_imports_its_own_module(path):
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert f"from lstm_book.{path.stem[3:]} import" in source


def test_the_readme_states_the_limit_the_test_holds():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"at most {MAX_ENGINE_LINES} lines of code" in readme


def test_the_contributing_guide_states_the_limit_the_test_holds():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"at most {MAX_ENGINE_LINES} lines of code" in guide
    assert len(set(re.findall(r"at most (\d+) lines of code", guide))) == 1  # and no other limit beside it


def test_the_chapters_draw_outside_pyplot():
    """CONTRIBUTING: every picture is a Figure of lstm_book.figures.new_figure, with no global pyplot state (only
    figures.py touches pyplot, to let it forget a figure a reader made there)."""
    for path in sorted((ROOT / "lstm_book").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
        names += [f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for a in node.names]
        if path.name != "figures.py":
            assert not any("pyplot" in name for name in names), f"{path.name} imports pyplot: draw with new_figure"
