"""The chapter skeleton, templates/chapter/, is a chapter that works once it is added as CONTRIBUTING.md says.

A scratch copy of the book's layout gets the skeleton as CONTRIBUTING.md's example, chapter 09 "my_topic": the shell
commands of its section "Adding a chapter" are run there as they are written (copy and rename the three files), and
the chapter is listed in lstm_book.CHAPTERS and in _toc.yml. Then, in that copy and in processes of their own (so
that this session's registry of exercises stays the book's):

- the layout, the template's rules for a notebook (tests/test_book_config.py), the exercises' names and refusals
  (tests/test_exercises.py), what a reader may type (tests/test_hints.py) and the chapter's own tests pass for it;
- (marker `notebook`) its notebook runs from top to bottom in a kernel, as the book build runs it, every hidden assert
  holding, and again with each exercise's solution in its answer cell (tests/test_exercises.py).

Rename something in one of the skeleton's files and not in the others, or change a step, and this fails.
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SKELETON = ROOT / "templates" / "chapter"
NUMBER, NAME = "09", "my_topic"  # CONTRIBUTING.md's example
LABEL = NAME.replace("_", "-")  # of its exercises
FILES = {  # where each file of the skeleton goes
    "notebooks/NN_my_chapter.ipynb": f"notebooks/{NUMBER}_{NAME}.ipynb",
    "lstm_book/my_chapter.py": f"lstm_book/{NAME}.py",
    "tests/test_my_chapter.py": f"tests/test_{NAME}.py",
}


def test_the_skeleton_is_its_three_files_and_the_book_leaves_it_out():
    assert sorted(str(p.relative_to(SKELETON)) for p in SKELETON.rglob("*") if p.is_file()) == sorted(FILES)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "templates" in config["exclude_patterns"]  # Sphinx never reads it, whatever _toc.yml says
    assert "templates" not in (ROOT / "_toc.yml").read_text(encoding="utf-8")


def test_the_notebook_imports_only_what_the_module_defines():
    """Caught without a kernel: a name the notebook or the test imports from the chapter's module that it lacks."""
    module = ast.parse((SKELETON / "lstm_book" / "my_chapter.py").read_text(encoding="utf-8"))
    defined = {n.name for n in module.body if isinstance(n, ast.FunctionDef)}
    defined |= {t.id for n in module.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    cells = nbformat.read(SKELETON / "notebooks" / "NN_my_chapter.ipynb", as_version=4).cells
    sources = [c.source for c in cells if c.cell_type == "code"]
    sources.append((SKELETON / "tests" / "test_my_chapter.py").read_text(encoding="utf-8"))
    from IPython.core.inputtransformer2 import TransformerManager  # %magics as the kernel reads them

    trees = [ast.parse(TransformerManager().transform_cell(source)) for source in sources]
    imported = {alias.name for tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "lstm_book.my_chapter" for alias in node.names}
    assert imported and imported <= defined, f"imported but not in lstm_book/my_chapter.py: {imported - defined}"


def _steps():
    """The shell commands of CONTRIBUTING.md's "Adding a chapter", as written there."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## Adding a chapter\n", 1)[1].split("\n## ", 1)[0]
    return [textwrap.dedent(block) for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A scratch copy of the book's layout with the skeleton added as chapter 09: what the tests read is copied,
    the rest linked."""
    root = tmp_path_factory.mktemp("book")
    for name in ("lstm_lite", "tools", "book", "_config.yml", "pyproject.toml", "README.md", "CONTRIBUTING.md"):
        (root / name).symlink_to(ROOT / name)
    (root / "lstm_book").mkdir()
    for path in (ROOT / "lstm_book").glob("*.py"):
        shutil.copy(path, root / "lstm_book")
    for path in (ROOT / "lstm_book").glob("*/__init__.py"):  # a chapter of several parts is a package
        shutil.copytree(path.parent, root / "lstm_book" / path.parent.name, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "lstm_book" / "data").symlink_to(ROOT / "lstm_book" / "data")
    (root / "notebooks").mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        (root / "notebooks" / path.name).symlink_to(path)
    (root / "notebooks" / "data").symlink_to(ROOT / "notebooks" / "data")
    (root / "tests").mkdir()
    for path in (ROOT / "tests").glob("*.py"):  # copied where they run (they find the book by their own path)
        if path.name in ("conftest.py", "test_layout.py", "test_book_config.py", "test_exercises.py", "test_hints.py"):
            shutil.copy(path, root / "tests")
        else:
            (root / "tests" / path.name).symlink_to(path)
    (root / "templates").symlink_to(ROOT / "templates")
    for step in _steps():
        subprocess.run(["bash", "-euo", "pipefail", "-c", step], cwd=root, check=True)
    for target in FILES.values():
        text = (root / target).read_text(encoding="utf-8")
        assert not re.search(r"my_chapter|my-chapter|\bNN\b", text), f"{target}: the steps left a name of the skeleton"
    init = root / "lstm_book" / "__init__.py"
    text, listed = re.subn(r"(CHAPTERS = \([^)]*)\)", rf'\1, "{NAME}")', init.read_text(encoding="utf-8"))
    assert listed == 1, "lstm_book/__init__.py has no CHAPTERS tuple to add the chapter to"
    init.write_text(text, encoding="utf-8")
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    last = re.findall(r"\n( *- file: notebooks/\d\d_\w+)", toc)[-1]
    (root / "_toc.yml").write_text(toc.replace(last, f"{last}\n{last[:last.index('-')]}- file: notebooks/{NUMBER}_{NAME}"),
                                   encoding="utf-8")
    return root


def _run(book, *args, timeout=600):
    env = {**os.environ, "PYTHONPATH": str(book)}  # the scratch copy's lstm_book, before the installed one
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run([sys.executable, *args], cwd=book, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{(done.stdout + done.stderr)[-6000:]}"
    return done.stdout


def _pytest(book, *args):
    out = _run(book, "-m", "pytest", "-v", "-p", "no:cacheprovider", *args)
    assert re.search(r"\d+ passed", out) and " failed" not in out, out[-3000:]
    return out


def test_the_scratch_book_holds_the_chapter_and_its_module_is_the_one_imported(book):
    out = _run(book, "-c", f"import lstm_book, lstm_book.{NAME} as m; print(lstm_book.CHAPTERS[-1], m.__file__)")
    assert out.split() == [NAME, str(book / "lstm_book" / f"{NAME}.py")]


def test_the_layout_the_exercises_and_the_chapters_own_tests_pass_for_it(book):
    out = _pytest(book, "tests/test_layout.py", f"tests/test_{NAME}.py", "tests/test_exercises.py", "-m", "not notebook")
    assert f"test_every_notebook_imports_its_own_module[{NUMBER}_{NAME}] PASSED" in out
    assert f"tests/test_{NAME}.py::test_each_branch" in out
    assert f"test_every_check_rejects_a_wrong_answer_with_a_reason[{LABEL}-2] PASSED" in out


def test_the_template_rules_for_a_notebook_and_for_what_a_reader_types_hold_for_it(book):
    out = _pytest(book, "tests/test_book_config.py", "tests/test_hints.py", "-k", f"{NUMBER}_{NAME} or {LABEL}-")
    assert f"{NUMBER}_{NAME}.ipynb" in out and f"{LABEL}-1-" in out and f"{LABEL}-2-" in out  # both files ran for it


@pytest.mark.notebook
def test_its_notebook_runs_and_every_solution_passes(book):
    """As the book build runs it (its copy under _build/jupyter_execute, which test_exercises.py compares against),
    then with the solutions, by tests/test_exercises.py."""
    built = book / "_build" / "jupyter_execute" / "notebooks"
    built.mkdir(parents=True)
    source = book / "notebooks" / f"{NUMBER}_{NAME}.ipynb"
    _run(book, "-c", (
        "import sys, nbformat; from nbclient import NotebookClient\n"
        f"nb = nbformat.read({str(source)!r}, as_version=4)\n"
        f"NotebookClient(nb, timeout=120, kernel_name='python3', resources={{'metadata': {{'path': {str(source.parent)!r}}}}}).execute()\n"
        f"nbformat.write(nb, {str(built / source.name)!r})"))
    outputs = [o for c in nbformat.read(built / source.name, as_version=4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the picture at the top
    assert json.dumps(outputs).count("application/vnd.jupyter.widget-view+json") >= 1  # the static twin
    out = _pytest(book, "tests/test_exercises.py", "-m", "notebook", "-k", f"{NUMBER}_{NAME}")
    assert f"test_every_solution_passes_its_check[{NUMBER}_{NAME}] PASSED" in out
