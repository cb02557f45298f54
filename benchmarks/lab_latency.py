"""How fast a live picture follows the keyboard in JupyterLab: from a key press to the new picture on screen.

Starts JupyterLab on 127.0.0.1 (tools/jupyterlab_session.py), runs chapters 1, 3, 5 and 6 (and 8's live reader) as a
reader does, and for every slider of their live cells presses an arrow key N times, each time timing, in the page,
from the keydown event to the moment the new picture is decoded (img.decode(); for chapter 8's reader, whose picture
is HTML, the second animation frame after its text is replaced). Each press waits for the picture
before the next. Prints the median and the slowest per slider, with the machine's load (1-minute load average, before
and after) and its number of cores: the goal (issue 18) is a median <= 60 ms on a quiet 2-core machine for the
chapters 1-6 sliders, and <= 100 ms per keystroke for chapter 8's live reader at 40 lines.

The first row is the floor of this machine: chapter 1's live picture with every frame drawn in advance, so a key
press only sends the slider's value to the kernel and the ready PNG back (the same widgets, nothing drawn). A
chapter's median minus the floor is what its own computing and drawing cost; the floor itself is JupyterLab,
ipywidgets, the kernel and the browser sharing the machine's cores.

    python benchmarks/lab_latency.py [--presses 15] [--only 03 08]      (make bench runs it, every chapter)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
_spec = importlib.util.spec_from_file_location("jupyterlab_session", ROOT / "tools" / "jupyterlab_session.py")
session = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(session)

SLIDER_GOAL_MS, READER_GOAL_MS = 60, 100
CHAPTERS = ["01_refresher.ipynb", "03_rnn.ipynb", "05_lstm_gates.ipynb", "06_sushi_train.ipynb"]
READER = "08_reading_code.ipynb"
FLOOR = "00_floor.ipynb"  # written into the served folder: not a chapter
FLOOR_CELL = """# Live (in a running notebook): the floor, chapter 1's picture with every frame drawn in advance
import ipywidgets as widgets
import numpy as np
from lstm_book.refresher import SQUASH

live = SQUASH.live()
ready = {k: (live.png(weight=w, bias=0.0, x=1.0), SQUASH.text(weight=w, bias=0.0, x=1.0))
         for k, w in enumerate(np.linspace(-3.0, 3.0, 61))}
weight = widgets.IntSlider(value=40, min=0, max=60, description="ready pictures")

def show(change):
    live.picture.value, live.picture.tooltip = ready[change["new"]]

weight.observe(show, names="value")
widgets.VBox([weight, live.picture])
"""


def _write_floor(folder):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CELL)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, Path(folder) / "notebooks" / FLOOR)

# Arm a watch on one live cell: resolves with (keydown time, picture-decoded time) once its picture is another one.
ARM = """(index) => {
    const cell = [...document.querySelectorAll('.jp-CodeCell')].filter(
        c => c.innerText.includes('# Live (in a running notebook)'))[index];
    // a PNG (its src changes) or chapter 8's reader in HTML (its text is replaced)
    const picture = () => [...cell.querySelectorAll('.jp-OutputArea-output img, .lstm-reader')].pop();
    const state = p => p ? (p.src || p.innerHTML) : null;
    const before = state(picture());
    window.__pressed = null;
    document.addEventListener('keydown', () => { window.__pressed = performance.now(); }, {capture: true, once: true});
    window.__shown = new Promise(resolve => {
        setTimeout(() => resolve(null), 5000);  // no new picture within 5 s: counted apart, as missed
        const seen = new MutationObserver(async () => {
            const shown = picture();
            if (!shown || state(shown) === before) return;
            seen.disconnect();
            if (shown.decode) { try { await shown.decode(); } catch (e) {} }
            else { await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }  // laid out, painted
            resolve(performance.now());
        });
        seen.observe(cell, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    });
}"""


def _timed(page, index, press):
    """ms from the key press to the new picture, or None if none came within 5 s."""
    page.evaluate(ARM, index)
    press()
    shown = page.evaluate("() => window.__shown")
    return None if shown is None else shown - page.evaluate("() => window.__pressed")


def sliders(page, presses):
    """{slider label: [ms per press]} for every slider of every live cell of the open chapter."""
    found = {}
    cells = page.locator(".jp-CodeCell", has_text="# Live (in a running notebook)")
    for index in range(cells.count()):
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        for box in cell.locator(".widget-checkbox input").all():  # chapter 5: a slider moves its part once forced
            box.check()
            page.wait_for_timeout(500)
        for slider in cell.locator(".widget-slider").all():
            label = slider.locator(".widget-label").first.inner_text()
            handle = slider.locator(".noUi-handle")
            handle.focus()
            times, key = [], "ArrowRight"
            for _ in range(presses):
                now, low, high = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
                key = "ArrowLeft" if now >= high else "ArrowRight" if now <= low else key  # turn at either end
                times.append(_timed(page, index, lambda key=key: page.keyboard.press(key)))
                page.wait_for_timeout(150)
            found[label] = times
    return found


def reader(page, presses, lines=40):
    """ms per keystroke of chapter 8's live reader with `lines` lines of code in its text box."""
    cell = page.locator(".jp-CodeCell", has_text="# Live (in a running notebook)").first
    cell.scroll_into_view_if_needed()
    box = cell.locator(".widget-textarea textarea")
    box.fill("\n".join(f"x{k} = f(a, [b, {k}])  # line {k}" for k in range(lines)))
    page.keyboard.press("Tab")
    page.wait_for_timeout(3000)
    box.focus()
    page.keyboard.press("End")
    times = []
    for _ in range(presses):
        times.append(_timed(page, 0, lambda: page.keyboard.type("x")))
        page.wait_for_timeout(150)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=15)
    parser.add_argument("--only", nargs="*", metavar="NN", help="only these chapters, by number: --only 03 08")
    args = parser.parse_args()
    chapters = [FLOOR] + [n for n in CHAPTERS + [READER] if not args.only or n[:2] in args.only]
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    results = {}
    with tempfile.TemporaryDirectory() as folder, session.jupyterlab(folder) as base, sync_playwright() as p:
        _write_floor(folder)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name in chapters:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            session.run_all(page, base, name)
            if name == READER:
                results[name, "live reader, 40 lines"] = reader(page, args.presses)
            else:
                results.update({(name, label): t for label, t in sliders(page, args.presses).items()})
            page.close()
        browser.close()
    load_after = os.getloadavg()[0]
    print(f"\nJupyterLab: key press -> new picture decoded ({args.presses} presses each; goals: median <= "
          f"{SLIDER_GOAL_MS} ms for chapters 1-6, <= {READER_GOAL_MS} ms for chapter 8's reader)")
    print(f"machine: {os.cpu_count()} cores, 1-minute load {load_before:.2f} before, {load_after:.2f} after")
    print(f"{'chapter':<22} {'control':<28} {'median ms':>9} {'slowest':>8}  goal")
    for (name, label), times in results.items():
        goal = {READER: READER_GOAL_MS, FLOOR: None}.get(name, SLIDER_GOAL_MS)
        came = [t for t in times if t is not None]
        if not came:
            print(f"{name:<22} {label:<28} {'-':>9} {'-':>8}  MISSED (no new picture within 5 s)")
            continue
        median = statistics.median(came)
        lost = f", {len(times) - len(came)} presses with no new picture" if len(came) < len(times) else ""
        verdict = "-" if goal is None else "met" if median <= goal else "MISSED"
        print(f"{name:<22} {label:<28} {median:9.0f} {max(came):8.0f}  {verdict}{lost}")


if __name__ == "__main__":
    main()
