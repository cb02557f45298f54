"""Every exercise of the book can be solved: each solution shown on the website passes its own check.

For each notebook, every answer cell (`answer = None ... check("NAME", answer)`) is replaced by the code of the
`{solution} NAME` dropdown plus an assert that the check says ok, and the notebook is run from top to bottom.

The same run doubles as a check that every chapter is seeded: apart from the answer cells, its pictures and printed
numbers must equal those of the book build (`_build/jupyter_execute`, made by `make build`, which `make test` runs
first), a separate run in a separate kernel.
"""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from lstm_book.exercises import WRONG, AnswerError, Verdict, all_checks, check, exercise

CHECKS = all_checks()  # loads every chapter's module

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = ROOT / "_build" / "jupyter_execute" / "notebooks"
# Wall-clock times and progress-bar speeds differ from run to run by nature; everything else must not.
TIMING = re.compile(r"\d+(?:\.\d+)?\s*(?:s\b|it/s|s/it)|\[\d\d:\d\d<\d\d:\d\d[^\]]*\]")
NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ANSWER = re.compile(r'^check\("(?P<name>[\w-]+)", answer\)\s*$', re.M)
SOLUTION = re.compile(r"`{3,}\{solution\} (?P<name>[\w-]+)\n.*?```python\n(?P<code>.*?)\n```", re.S)


def exercises_in(nb):
    """(answer-cell index, name, solution code) for every exercise of a notebook."""
    solutions = {m["name"]: m["code"] for c in nb.cells if c.cell_type == "markdown" for m in SOLUTION.finditer(c.source)}
    found = []
    for i, c in enumerate(nb.cells):
        m = ANSWER.search(c.source) if c.cell_type == "code" else None
        if m:
            assert m["name"] in solutions, f"exercise {m['name']} has no {{solution}} dropdown"
            found.append((i, m["name"], solutions[m["name"]]))
    return found


def test_every_chapter_has_exercises_and_every_check_is_used():
    names = [name for path in NOTEBOOKS for _, name, _ in exercises_in(nbformat.read(path, as_version=4))]
    assert len(names) == len(set(names)), "exercise names must be unique"
    for path in NOTEBOOKS:
        assert len(exercises_in(nbformat.read(path, as_version=4))) >= 2, f"{path.name} needs two or three exercises"
    assert set(names) == set(CHECKS), f"checks without an exercise: {set(CHECKS) - set(names)}"


def test_every_exercise_is_named_after_its_chapter_and_checked_there():
    for path in NOTEBOOKS:
        chapter = path.stem[3:]  # 05_lstm_gates -> lstm_gates
        for _, name, _ in exercises_in(nbformat.read(path, as_version=4)):
            assert name.rsplit("-", 1)[0] == chapter.replace("_", "-"), f"{path.name}: exercise {name!r}"
            module = CHECKS[name].__module__  # the chapter's module, or a module of the chapter's package
            assert module == f"lstm_book.{chapter}" or module.startswith(f"lstm_book.{chapter}."), f"{name} is checked in {module}"


def test_an_unanswered_exercise_says_so_politely():
    for name in CHECKS:
        verdict = check(name, None)
        assert not verdict.ok and "None" in verdict.message


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_rejects_a_wrong_answer_with_a_reason(name):
    # WRONG is an answer of the right kind, so the reason is a hint about what it says, not a refusal of its form;
    # tests/test_hints.py reads what every branch's hint names and quotes
    verdict = check(name, WRONG[name])
    assert not verdict.ok and not verdict.message.startswith("Your answer does not fit"), verdict.message
    assert verdict.message != check(name, None).message


@pytest.mark.parametrize("name", sorted(CHECKS))
@pytest.mark.parametrize("answer, expected", [
    (float("nan"), "finite"), (float("inf"), "finite"), (1 + 2j, "real"), ("0.5", "expected"), ([1, [2, 3]], "expected"),
])
def test_every_check_refuses_an_answer_that_is_not_a_finite_real_number(name, answer, expected):
    if isinstance(WRONG[name], dict):  # an exercise answered with a dict of numbers: put the bad value inside
        answer = dict.fromkeys(WRONG[name], answer)
    verdict = check(name, answer)
    assert not verdict.ok and expected in verdict.message, verdict.message


def test_a_check_that_crashes_is_a_bug_and_is_not_reported_as_a_wrong_answer():
    @exercise("broken-check", wrong=1.0)
    def _broken(answer):
        return Verdict(answer / 0 > 1, "never reached")

    @exercise("picky-check", wrong=1.0)
    def _picky(answer):
        raise AnswerError("expected a dict, got float 1.0")

    try:
        with pytest.raises(ZeroDivisionError):
            check("broken-check", 1.0)
        verdict = check("picky-check", 1.0)
        assert not verdict.ok and "expected a dict, got float 1.0" in verdict.message
    finally:
        for table in (CHECKS, WRONG):
            table.pop("broken-check"), table.pop("picky-check")


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_passes_its_check(path):
    nb = nbformat.read(path, as_version=4)
    answers = {index for index, _, _ in exercises_in(nb)}
    for index, name, code in exercises_in(nb):
        nb.cells[index].source = f'{code}\nverdict = check("{name}", answer)\nassert verdict.ok, verdict.message'
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    built = EXECUTED / path.name
    assert built.is_file(), f"no executed copy of {path.name} in {EXECUTED}: run `make build` first (`make test` does)"
    ours, theirs = _results(nb, skip=answers), _results(nbformat.read(built, as_version=4), skip=answers)
    for (index, a), (_, b) in zip(ours, theirs, strict=True):
        assert a == b, f"{path.name}, cell {index}: two runs differ (an unseeded random number?)"


def _results(nb, skip):
    """(cell index, [what each output shows]) of every code cell not in `skip`: images and text, timings masked."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or index in skip:
            continue
        shown, streams = [], {}
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":  # a kernel may split printed text into chunks differently
                streams[out["name"]] = streams.get(out["name"], "") + out.get("text", "")
                continue
            data = out.get("data", {})
            if any("widget" in kind for kind in data):
                continue  # widget model ids are random by design; the frames are tested in tests/test_<chapter>.py
            kind = next((k for k in ("image/png", "text/markdown", "text/html") if k in data), "text/plain")
            shown.append((kind, TIMING.sub("<time>", "".join(data.get(kind, ""))).strip()))
        shown += [(name, TIMING.sub("<time>", text).strip()) for name, text in sorted(streams.items())
                  if name == "stdout"]  # stderr holds progress bars and warnings
        found.append((index, shown))
    return found


# A visible code cell that makes a picture: it assigns `fig`, or calls a draw, render or plot function or new_figure.
DRAWS = re.compile(r"^\s*fig\s*=|\b\w+_draw\(|\b\w+_render\(|\bplot_\w+\(|\bnew_figure\(", re.M)
PICTURES = ("image/png", "application/vnd.jupyter.widget-view+json")  # a figure, or a static twin's widget


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_visible_cell_that_draws_shows_a_picture(path):
    """A cell on the page that builds a figure and never displays it (`fig = draw(...)` and nothing more) shows the
    reader nothing where the prose points at a picture. Read in the book build's executed copy."""
    built = EXECUTED / path.name
    assert built.is_file(), f"no executed copy of {path.name} in {EXECUTED}: run `make build` first (`make test` does)"
    for k, cell in enumerate(nbformat.read(built, as_version=4).cells):
        hidden = {"remove-cell", "remove-output"} & set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or hidden or not DRAWS.search(cell.source):
            continue
        shown = {kind for out in cell.get("outputs", []) for kind in out.get("data", {})}
        assert shown & set(PICTURES), (f"{path.name}, code cell {k} draws but shows no picture (outputs: "
                                       f"{sorted(shown) or 'none'}); display(fig)?\n{cell.source[:300]}")
