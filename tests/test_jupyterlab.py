"""A running notebook is as good as the page: JupyterLab, started here on 127.0.0.1, driven as a reader would.

The test copies the chapters to a scratch folder, starts `jupyter lab` on a free port (with --allow-root when run as
root, as `make lab` does; tools/jupyterlab_session.py, which benchmarks/lab_latency.py shares), opens every chapter in headless Chromium, runs every cell from the Run menu, and then:

- no cell gives an error, and every Markdown cell shows what the website shows: the numbers computed by the
  chapter ({eval}), citations and glossary terms as text (book/_ext/notebook_refs.py), no markup left raw, and no
  reference that jupyterlab-myst reports unresolved;
- every control of a live cell (ticked, chosen, typed or moved by the keyboard) changes its picture.

In chapter 3, besides:

- the chapter's MyST is rendered by jupyterlab-myst: no raw `{term}` or `{exercise}` markup in sight, and every
  solution folded until the reader opens it;
- the live slider (the cell marked "# Live (in a running notebook)") answers the keyboard: its value moves, and the
  picture under it is redrawn, whole inside its output (no part cut off).
"""

from __future__ import annotations

import importlib.util
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("jupyterlab_session", ROOT / "tools" / "jupyterlab_session.py")
jupyterlab_session = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(jupyterlab_session)
TOKEN = jupyterlab_session.TOKEN
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHAPTER = "03_rnn.ipynb"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The base URL of a JupyterLab serving a copy of the notebooks."""
    try:
        with jupyterlab_session.jupyterlab(tmp_path_factory.mktemp("lab")) as base:
            yield base
    except RuntimeError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="module")
def browser(lab):
    """Headless Chromium, one page per chapter opened in it (see `opened`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def opened(lab, browser):
    """opened(name) -> (page, errors, console): the chapter open in JupyterLab, every cell run from the Run menu, as a
    reader does; each chapter is run once, in a page (and a kernel) of its own."""
    pages = {}

    def run(name):
        if name not in pages:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            errors, console = [], []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            jupyterlab_session.run_all(page, lab, name)
            pages[name] = page, errors, console
        return pages[name]

    yield run


@pytest.fixture(scope="module")
def notebook(opened):
    """Chapter 3 open in JupyterLab, every cell run."""
    page, errors, _ = opened(CHAPTER)
    return page, errors


def test_the_chapters_myst_is_rendered_and_solutions_are_folded(notebook):
    page, _ = notebook
    text = page.locator(".jp-Notebook").inner_text()
    for raw in ("{term}`", "{cite}`", "```{exercise}", "````{solution}", ":label:"):
        assert raw not in text, f"JupyterLab shows the MyST markup {raw!r} raw"
    solutions = page.locator(".jp-Notebook details")
    assert solutions.count() >= 2, "the exercises' solutions are not folded dropdowns"
    assert all(not solutions.nth(k).evaluate("d => d.open") for k in range(solutions.count()))


def test_the_live_slider_follows_the_keyboard_and_its_picture_fits(notebook):
    page, errors = notebook
    cell = page.locator(".jp-CodeCell", has_text="# Live (in a running notebook)").first
    cell.scroll_into_view_if_needed()
    slider = cell.locator(".widget-slider", has_text="recurrent weight w").first
    slider.wait_for(timeout=30_000)
    label = slider.locator(".widget-label").inner_text()
    assert label.strip() == "recurrent weight w", f"the slider's name is cut: {label!r}"
    picture = cell.locator(".jp-OutputArea-output img").first
    picture.wait_for(timeout=30_000)
    before_value, before_src = slider.locator(".widget-readout").inner_text(), picture.get_attribute("src")
    slider.locator(".noUi-handle").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    # each redraw puts a new <img> in the output: ask the locator again until the picture is another one
    deadline = time.monotonic() + 30
    while picture.get_attribute("src") == before_src and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert slider.locator(".widget-readout").inner_text() != before_value, "the keyboard did not move the slider"
    assert picture.get_attribute("src") != before_src, "the slider moved but the picture stayed"
    output = cell.locator(".widget-output").first
    box, shown = output.bounding_box(), picture.bounding_box()
    assert shown["y"] + shown["height"] <= box["y"] + box["height"] + 1, "the live picture is cut off at the bottom"
    assert not errors, errors


def test_boxes_for_the_curious_are_folded_in_jupyterlab_too(lab, notebook):
    """Chapter 4's 'For the curious' box (a MyST admonition with class dropdown) is folded, as on the website; the
    markdown renders without a kernel, so the notebook is only opened (in a second tab of the same browser)."""
    first, _ = notebook
    page = first.context.browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{lab}/lab/tree/04_unrolled_rnn.ipynb?token={TOKEN}&reset", wait_until="domcontentloaded")
    chapter = page.locator(".jp-Notebook", has_text="The unrolled RNN").first  # not chapter 3, if it is restored
    chapter.locator(".jp-MarkdownCell").first.wait_for(timeout=60_000)
    box = chapter.locator("details", has_text="For the curious").first
    box.wait_for(state="attached", timeout=60_000)
    folded = not box.evaluate("d => d.open")
    text = chapter.inner_text()
    page.close()
    assert folded, "chapter 4's box for the curious is open in JupyterLab"
    assert ":::{admonition}" not in text and ":class: dropdown" not in text, "JupyterLab shows the box's MyST raw"


# What a rendered Markdown cell must never show: markup left raw, a key in place of a number, citation or term.
RAW = ("{eval}", "{glue", "{term}", "{cite}", "<!--", "```{", ":label:", "ⓘ")
ROLE = re.compile(r"\{(?:eval|glue(?::\w+)?)\}`([^`:]+)[^`]*`")  # an inline expression or a glued key
UNRESOLVED = ("Cross reference target was not found", "Unexpected node", "Error evaluating", "NameError")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_chapter_runs_and_reads_right_in_jupyterlab(opened, name):
    """Run All gives no error output; every Markdown cell is rendered with its numbers, citations and terms as text."""
    page, errors, console = opened(name)
    failed = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert failed.count() == 0, f"{name}: an error after Run All:\n{failed.first.inner_text()[:2000]}"
    # the outputs, not the prose: each chapter's note for a reopened notebook quotes this very message
    outputs = page.locator(".jp-OutputArea").all_inner_texts()
    assert not any("Error displaying widget" in o for o in outputs), f"{name}: a widget that did not display"
    cells = page.locator(".jp-MarkdownCell")
    sources = [c.source for c in nbformat.read(ROOT / "notebooks" / name, as_version=4).cells if c.cell_type == "markdown"]
    assert cells.count() == len(sources) > 5
    for k, source in enumerate(sources):
        text = cells.nth(k).inner_text()  # what is shown: the rendered cell (its hidden editor holds the source)
        shown = [raw for raw in RAW if raw in text] + [e for e in ROLE.findall(source) if e in text]
        assert not shown, f"{name}, Markdown cell {k}: {shown} in what the reader sees:\n{text[:1500]}"
    logged = [m for m in console if any(u in m for u in UNRESOLVED)]
    assert not logged and not errors, (logged[:5], errors[:5])


PICTURE = ".jp-OutputArea-output img, .jp-OutputArea-output .lstm-reader"  # a PNG, or chapter 8's reader in HTML


def _pictures(cell):
    return [p.get_attribute("src") or p.inner_html() for p in cell.locator(PICTURE).all()]


def _change(page, control, kind):
    """Move one control as a reader would: tick a box, choose another option, type, or press an arrow key."""
    if kind == "checkbox":
        control.locator("input").click()
    elif kind == "dropdown":
        select = control.locator("select")
        current = select.input_value()
        options = [o for o in select.locator("option").evaluate_all("os => os.map(o => o.value)") if o != current]
        select.select_option(options[0])
    elif kind == "text":
        box = control.locator("textarea, input").first
        box.click()
        page.keyboard.press("End")
        page.keyboard.type("x")
        box.blur()
    else:
        readout = control.locator(".widget-readout")
        before = readout.inner_text()
        control.locator(".noUi-handle").focus()
        for key in ("ArrowRight", "ArrowLeft"):  # left where the slider starts at its right end
            for _ in range(3):
                page.keyboard.press(key)
            if readout.inner_text() != before:
                break
        assert readout.inner_text() != before, "the keyboard did not move the slider"
        page.keyboard.press("Tab")  # a slider that redraws when let go (continuous_update=False) is let go


LIVE_CHAPTERS = [n for n in NOTEBOOKS if "# Live (in a running notebook)" in (ROOT / "notebooks" / n).read_text()]
KINDS = [("checkbox", ".widget-checkbox"), ("dropdown", ".widget-dropdown"), ("text", ".widget-textarea, .widget-text"),
         ("slider", ".widget-slider")]  # boxes first: a slider of a gate that is not forced moves nothing yet


@pytest.mark.parametrize("name", LIVE_CHAPTERS)
def test_every_live_control_changes_its_picture(opened, name):
    page, errors, _ = opened(name)
    cells = page.locator(".jp-CodeCell", has_text="# Live (in a running notebook)")
    assert cells.count() >= 1
    moved = 0
    for k in range(cells.count()):
        cell = cells.nth(k)
        cell.scroll_into_view_if_needed()
        cell.locator(PICTURE).first.wait_for(timeout=30_000)
        for kind, selector in KINDS:
            controls = cell.locator(selector)
            for j in range(controls.count()):
                control = controls.nth(j)
                label = control.locator(".widget-label").first.inner_text() if control.locator(".widget-label").count() else kind
                before = _pictures(cell)
                _change(page, control, kind)
                deadline = time.monotonic() + 20
                while _pictures(cell) == before and time.monotonic() < deadline:
                    page.wait_for_timeout(100)
                assert _pictures(cell) != before, f"{name}: moving {label!r} did not change the picture"
                moved += 1
        # a PNG has no alt text in a widget: its title says what it shows (a screen reader reads it as the name)
        for img in cell.locator(".jp-OutputArea-output img").all():
            assert len((img.get_attribute("title") or "").split()) >= 8, f"{name}: a live picture without words"
    assert moved >= 1 and not errors, errors
