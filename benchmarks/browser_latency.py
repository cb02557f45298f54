"""How fast chapter 8's reader on the website follows the keyboard: the model run in the browser, in JavaScript.

Opens the built page (_build/html; `make build` first) in headless Chromium at 1280 px, served from 127.0.0.1, and
times, in the page, from the key press (or, for a paste, from the input event) to the moment the new picture is laid
out (the reader's work: reading on from the changed character, the picture's HTML, style and layout), and to the
second animation frame after it (painted). With one of the bracket cell's gates held, so that the page reads the text
twice at every keystroke (held and not), as the live reader does:

* a keystroke at the end of 1,000 characters of held-out code (the common case: two steps read), and in the middle
  of them (500 steps read again, twice);
* a paste of those 1,000 characters into the empty box (everything read, twice).

Goals (issue 19): a keystroke <= 30 ms, a paste of 1,000 characters <= 1 s, on a 2-core machine. Prints the median
and the slowest of each, with the machine's load (1-minute load average, before and after) and its cores.

    python benchmarks/browser_latency.py [--presses 30]       (make bench runs it)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
PAGE = "notebooks/08_reading_code.html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
KEY_GOAL_MS, PASTE_GOAL_MS = 30, 1000
_spec = importlib.util.spec_from_file_location("page_weight", ROOT / "tools" / "page_weight.py")
page_weight = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page_weight)

# Listeners of the benchmark's own, around the reader's: a key press (or an input with no key, a paste) starts the
# clock; the input event, once the reader's listener on the box has run (this one is on the window: it comes after),
# forces style and layout, then waits for the second frame.
WATCH = """() => {
    const box = document.querySelector('#lstm-browser-reader-code');
    window.__times = [];
    let pressed = null;
    document.addEventListener('keydown', e => { if (e.target === box) pressed = performance.now(); }, true);
    window.addEventListener('input', e => {
        if (e.target !== box) return;
        const start = pressed === null ? e.timeStamp : pressed;
        pressed = null;
        document.querySelector('.lstm-browser-reader').getBoundingClientRect();
        const laidOut = performance.now() - start;
        requestAnimationFrame(() => requestAnimationFrame(() => window.__times.push([laidOut, performance.now() - start])));
    });
}"""


def _last(page, count):
    page.wait_for_function(f"() => window.__times.length >= {count}")
    return page.evaluate("() => window.__times[window.__times.length - 1]")


def measure(page, code, presses):
    """{what: [(ms to laid out, ms to painted)]} for keystrokes at the end, in the middle, and pastes."""
    box = page.locator("#lstm-browser-reader-code")
    page.check("#lstm-browser-reader-hold")  # the forget gate of the bracket cell held at 1: two readings
    page.evaluate(WATCH)
    found = {"keystroke at the end": [], "keystroke in the middle": [], "paste of 1,000 characters": []}
    count = 0
    for _ in range(presses // 3 or 1):
        box.evaluate("b => { b.value = ''; b.dispatchEvent(new Event('input', {bubbles: true})); }")
        count += 1
        _last(page, count)
        box.focus()
        page.keyboard.insert_text(code)  # one input event with all of it, as a paste gives
        count += 1
        found["paste of 1,000 characters"].append(_last(page, count))
    for where, what in [(len(code), "keystroke at the end"), (len(code) // 2, "keystroke in the middle")]:
        box.fill(code)
        count += 1
        for k in range(presses):  # type an x, then delete it: the text stays the same
            at = where + k % 2
            box.evaluate(f"b => b.setSelectionRange({at}, {at})")
            page.keyboard.press("x" if k % 2 == 0 else "Backspace")
            count += 1
            found[what].append(_last(page, count))
            page.wait_for_timeout(30)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=30)
    args = parser.parse_args()
    if not (SITE / PAGE).is_file():
        print(f"no built page at {SITE / PAGE}: run `make build` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from lstm_book.reading_code import corpus

    code = corpus("held_out")[:1000]
    load_before = os.getloadavg()[0]
    with page_weight.serve(SITE) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(base + PAGE, wait_until="networkidle")
        found = measure(page, code, args.presses)
        browser.close()
    load_after = os.getloadavg()[0]
    print(f"\nWebsite, chapter 8's reader in the browser, a gate held (goals: keystroke <= {KEY_GOAL_MS} ms, paste of "
          f"1,000 characters <= {PASTE_GOAL_MS} ms, to laid out)")
    print(f"machine: {os.cpu_count()} cores, 1-minute load {load_before:.2f} before, {load_after:.2f} after")
    print(f"{'what':<28} {'n':>3} {'median ms':>10} {'slowest':>8} {'painted, median':>16}  goal")
    for what, times in found.items():
        laid, painted = [t[0] for t in times], [t[1] for t in times]
        goal = PASTE_GOAL_MS if what.startswith("paste") else KEY_GOAL_MS
        verdict = "met" if statistics.median(laid) <= goal else "MISSED"
        print(f"{what:<28} {len(times):>3} {statistics.median(laid):10.1f} {max(laid):8.1f} "
              f"{statistics.median(painted):16.1f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
