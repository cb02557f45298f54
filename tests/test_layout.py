"""The layout shows the design: lstm_lite is the engine alone, lstm_book holds one module (or package) per chapter.

- `import lstm_lite` loads neither matplotlib nor ipywidgets nor lstm_book, and no module of lstm_lite imports
  lstm_book (the dependency runs one way);
- lstm_lite stays small enough to read in one sitting: at most 740 lines of code, docstrings and comments not
  counted (tools/code_lines.py counts them). It was 650 until chapter 8 needed a model that reads text (Embedding,
  LanguageModel: a loss at every step, the state carried), gates set per memory cell, and float32 to train in minutes;
- every chapter notebook notebooks/NN_name.ipynb has its module lstm_book.name (listed in lstm_book.CHAPTERS), a file
  lstm_book/name.py or, for a chapter of several parts, a package lstm_book/name/ (never both), and its tests
  tests/test_name.py, and imports its own module; lstm_book holds nothing else but the modules the chapters share.
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


SHARED = {"figures", "sliders", "exercises", "checks"}  # what the chapters share: modules, never packages


def book_layout(book):
    """The modules (name.py) and the packages (name/ with an __init__.py) of the folder `book` (lstm_book), and its
    folders that are neither a package nor the data: (modules, packages, strays), each a set of names."""
    modules = {p.stem for p in book.glob("*.py")} - {"__init__"}
    folders = {p.name for p in book.iterdir() if p.is_dir() and p.name not in ("data", "__pycache__")}
    packages = {name for name in folders if (book / name / "__init__.py").exists()}
    return modules, packages, folders - packages


def layout_problems(book, chapters):
    """What is wrong with the layout of `book` (lstm_book) for these chapters, in sentences (none: it is right)."""
    modules, packages, strays = book_layout(book)
    problems = [f"lstm_book/{name}/ is a folder without an __init__.py" for name in sorted(strays)]
    problems += [f"chapter {name} is both lstm_book/{name}.py and lstm_book/{name}/" for name in sorted(modules & packages)]
    problems += [f"chapter {name} has no lstm_book/{name}.py nor package lstm_book/{name}/"
                 for name in chapters if name not in modules | packages]
    problems += [f"lstm_book/{name}/ is a package, but {name} is shared: a shared helper is one module"
                 for name in sorted(packages & SHARED)]
    problems += [f"lstm_book.{name} is no chapter's and not shared" for name in sorted((modules | packages) - set(chapters) - SHARED)]
    return problems


def test_every_chapter_has_its_module_and_its_tests():
    chapters = [path.stem[3:] for path in NOTEBOOKS]  # 05_lstm_gates -> lstm_gates
    assert tuple(chapters) == lstm_book.CHAPTERS
    problems = layout_problems(ROOT / "lstm_book", chapters)
    assert not problems, "; ".join(problems)
    for chapter in chapters:
        assert (ROOT / "tests" / f"test_{chapter}.py").exists(), f"chapter {chapter} has no tests/test_{chapter}.py"


@pytest.mark.parametrize("layout, wanted", [
    ({"a.py": "", "b/__init__.py": "", "b/part.py": "", "figures.py": "", "sliders.py": ""}, []),
    ({"a.py": "", "b/__init__.py": "", "b.py": ""}, ["chapter b is both lstm_book/b.py and lstm_book/b/"]),
    ({"a.py": "", "b/part.py": ""}, ["lstm_book/b/ is a folder without an __init__.py",
                                     "chapter b has no lstm_book/b.py nor package lstm_book/b/"]),
    ({"a.py": ""}, ["chapter b has no lstm_book/b.py nor package lstm_book/b/"]),
    ({"a.py": "", "b.py": "", "extra.py": ""}, ["lstm_book.extra is no chapter's and not shared"]),
    ({"a.py": "", "b.py": "", "stray/__init__.py": ""}, ["lstm_book.stray is no chapter's and not shared"]),
    ({"a.py": "", "b.py": "", "figures/__init__.py": ""},
     ["lstm_book/figures/ is a package, but figures is shared: a shared helper is one module"]),
], ids=["module and package", "both", "folder, no init", "missing", "extra module", "extra package", "shared package"])
def test_the_layout_rule_takes_a_module_or_a_package_and_nothing_else(tmp_path, layout, wanted):
    """A chapter may be a package named like it; the rule still finds each wrong layout, said in a sentence."""
    for name, text in {"__init__.py": "", "data/x.txt": "", **layout}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert layout_problems(tmp_path, ["a", "b"]) == wanted


def book_sources():
    """Every Python file of lstm_book, those of its chapter packages too."""
    return sorted((ROOT / "lstm_book").rglob("*.py"))


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
    for path in book_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
        names += [f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for a in node.names]
        if path.name != "figures.py":
            assert not any("pyplot" in name for name in names), f"{path.name} imports pyplot: draw with new_figure"
