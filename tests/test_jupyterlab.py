"""A running notebook is as good as the page: JupyterLab, started here on 127.0.0.1, driven as a reader would.

The test copies the chapters to a scratch folder, starts `jupyter lab` on a free port (with --allow-root when run as
root, as `make lab` does), opens chapter 3 in headless Chromium, runs every cell from the Run menu, and then:

- the chapter's MyST is rendered by jupyterlab-myst: no raw `{term}` or `{exercise}` markup in sight, and every
  solution folded until the reader opens it;
- the live slider (the cell marked "# Live (in a running notebook)") answers the keyboard: its value moves, and the
  picture under it is redrawn, whole inside its output (no part cut off).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TOKEN = "lstms-by-hand-test"
CHAPTER = "03_rnn.ipynb"

pytestmark = pytest.mark.lab


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The base URL of a JupyterLab serving a copy of the notebooks."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port = _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
           f"--ServerApp.root_dir={folder / 'notebooks'}", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / "config"), "JUPYTER_RUNTIME_DIR": str(folder / "runtime")}
    # JupyterLab 4 draws only the cells in view ("windowing"); a reader scrolls, a test reads the whole notebook
    settings = folder / "config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = folder / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)  # and no news fetched from the network, no pop-up asking
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    log = open(folder / "lab.log", "w")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited:\n{(folder / 'lab.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"jupyter lab did not answer:\n{(folder / 'lab.log').read_text()[-3000:]}")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def notebook(lab):
    """Chapter 3 open in JupyterLab, every cell run."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(f"{lab}/lab/tree/{CHAPTER}?token={TOKEN}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # the kernel has started when the status bar says so ("Python 3 (ipykernel) | Idle")
        page.wait_for_function("() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')",
                               timeout=120_000)
        for _ in range(3):  # a click that lands while JupyterLab is still settling does nothing: try again
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
            try:
                page.wait_for_function("""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                                           .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""", timeout=20_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        # every code cell has run when the last one shows an execution count
        page.wait_for_function(
            """() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                       return prompts.length && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }""",
            timeout=240_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        yield page, errors
        browser.close()


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
