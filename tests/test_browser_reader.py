"""Chapter 8's reader on the website: the page runs the model in the browser (book/_static_site/browser_reader.js, over
the weights book/_ext/browser_reader.py writes into the site), and it must read code as lstm_lite does.

The built page is opened in headless Chromium with the network cut off (tests/test_site.py's browser and server),
code is typed into its box as a reader types it, and what the browser computed is held to what
lstm_book.reading_code computes with lstm_lite for the same text and the same gate held: every character's cell
state c and gates of the chosen memory cell, and the probability of ')' after the last character, held and not, to
1e-4 (on this machine the model, sent as the float16 values it ships with, agrees to about 1e-13). The picture and the sentences it shows are Python's to the byte (reading_rows_html, reader_sentences). Then
the page as a reader uses it: from disk (file://, where a fetch would fail), by keyboard, by a screen reader (axe-core),
and on a phone (390 px). Speed is measured in benchmarks/browser_latency.py (make bench), not here.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import test_site as site

import lstm_book.reading_code as rc

pytestmark = pytest.mark.site

browser, base_url = site.browser, site.base_url  # the same fixtures: one browser and one server for the module
PAGE = "notebooks/08_reading_code.html"
TOLERANCE = 1e-4
HELD_OUT = rc.snippet("nested blocks")[1] + rc.snippet("a call")[1]  # 771 characters the model never trained on


def _control(name):
    return f"#lstm-browser-reader-{name}"


@pytest.fixture(scope="module")
def reader(browser, base_url):
    """The chapter's page, open at 1280 px; each test sets the box as it needs."""
    opened = site.LoadedPage(browser, base_url, PAGE)
    yield opened
    opened.close()


def _set(page, code=None, choice=None, hold=None, gate=None, value=None):
    """Set the box as a reader does: type (fill) the code, choose the cell and the gate, tick the box, type the value."""
    if code is not None:
        page.fill(_control("code"), code)
    if choice is not None:
        page.select_option(_control("choice"), choice)
    if gate is not None:
        page.select_option(_control("gate"), gate)
    if value is not None:
        page.fill(_control("number"), str(value))
    if hold is not None:
        page.set_checked(_control("hold"), hold)
    return page.evaluate("() => window.lstmBrowserReader.shown()")


def _farthest(shown, python):
    """The largest difference between the browser's numbers and Python's, over c, the three gates and p(')')."""
    got = shown["result"]
    assert got["text"] == python["text"] and got["unknown"] == python["unknown"] and got["empty"] == python["empty"]
    parts = [(np.array(got["values"]), python["values"])]
    parts += [(np.array(got["gates"][g]), python["gates"][g]) for g in rc.GATE_ROWS]
    parts += [(np.array([got["p_close"]]), np.array([python["p_close"]]))]
    assert (got["p_close_held"] is None) == (python["p_close_held"] is None)
    if python["p_close_held"] is not None:
        parts.append((np.array([got["p_close_held"]]), np.array([python["p_close_held"]])))
    for a, b in parts:
        assert a.shape == b.shape
    return max(float(np.abs(a - b).max()) for a, b in parts)


HOLDS = [(False, "forget", 1.0), (True, "forget", 1.0), (True, "input", 0.25), (True, "output", 0.0)]


def test_the_browser_reads_held_out_code_as_lstm_lite_does(reader):
    """Every cell the website offers, every way of holding a gate: c, the gates and p(')') as reading_compute gives
    them (lstm_lite's read, with the same gate held), to 1e-4."""
    page = reader.page
    s = rc.study()
    farthest = {}
    _set(page, code=HELD_OUT)
    for choice in rc.BROWSER_CHOICES:
        for hold, gate, value in HOLDS:
            shown = _set(page, choice=choice, gate=gate, value=value, hold=hold)
            python = rc.reading_compute(HELD_OUT, choice, hold=hold, gate=gate, value=value, s=s)
            assert shown["result"]["title"] == python["title"]
            farthest[choice, hold, gate] = _farthest(shown, python)
    print("largest difference, browser against lstm_lite:", {f"{c}/{g if h else 'free'}": f"{d:.1e}"
                                                             for (c, h, g), d in farthest.items()})
    assert max(farthest.values()) < TOLERANCE, farthest


def test_typing_reads_on_from_the_first_changed_character_and_gives_the_same(reader):
    """Keys typed at the end, in the middle, deleted, and a paste over everything: each time the browser, which read
    on from its kept states, gives what lstm_lite gives reading the whole text afresh."""
    page = reader.page
    s = rc.study()
    _set(page, code=HELD_OUT[:300], choice="brackets", gate="forget", value=1.0, hold=True)
    box = page.locator(_control("code"))
    box.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("f(a, (b")  # at the end
    box.evaluate("b => b.setSelectionRange(120, 120)")
    page.keyboard.type("[x")  # in the middle
    page.keyboard.press("Backspace")
    box.evaluate("b => b.setSelectionRange(0, b.value.length)")
    page.keyboard.insert_text(HELD_OUT[300:700])  # a paste over it all
    page.keyboard.type(" (")
    code = box.input_value()
    assert code == HELD_OUT[300:700] + " ("
    shown = page.evaluate("() => window.lstmBrowserReader.shown()")
    assert _farthest(shown, rc.reading_compute(code, "brackets", hold=True, gate="forget", value=1.0, s=s)) < TOLERANCE


def test_the_browser_draws_and_says_what_the_live_reader_would(reader):
    """The picture's lines are reading_rows_html of the browser's own numbers, byte for byte (the live reader's
    colours, its 33 shades of c on the chosen cell's scale, its 17 greys), the sentences are reader_sentences', and
    the page shows them: the code as text, the sentences in a live region that a screen reader announces."""
    page = reader.page
    for choice, hold in [("brackets", False), ("indent", True), ("a random cell", True)]:
        shown = _set(page, code=HELD_OUT[:400] + "x = f(a, 'b'", choice=choice, gate="input", value=0.25, hold=hold)
        got = dict(shown["result"])
        got["values"] = np.array(got["values"])
        got["gates"] = {g: np.array(v) for g, v in got["gates"].items()}
        assert shown["rows"] == rc.reading_rows_html(got), choice
        assert shown["sentences"] == list(rc.reader_sentences(got)), choice
        lines = page.evaluate("""() => [...document.querySelectorAll('.lstm-br-lines span')].map(s => s.textContent)""")
        assert lines == [line + rc.NEWLINE for line in got["text"].split("\n")[:-1]]
        said = page.locator(".lstm-br-said")
        assert said.get_attribute("aria-live") == "polite"
        assert said.inner_text().split("\n")[0] == shown["sentences"][0]
        assert page.locator(".lstm-br-title").inner_text() == got["title"]
        assert f"runs from {got['values'].min():.2f} to {got['values'].max():.2f}" in shown["alt"]


def test_unknown_characters_and_empty_text_get_a_sentence(reader):
    """As in the live reader: characters the model does not know are read as '?', and the page names them; a box
    with nothing but blanks says that there is nothing to read yet."""
    page = reader.page
    for code in ["caf\u00e9 = f(1, 'ok \U0001F642\x07\u00a0')\t", " \n\u2003 ", ""]:
        shown = _set(page, code=code, choice="brackets", hold=False)
        python = rc.reading_compute(code, "brackets")
        assert shown["sentences"] == list(rc.reader_sentences(python)), code
        assert _farthest(shown, python) < TOLERANCE
        said = [line for line in page.locator(".lstm-br-said").inner_text().split("\n") if line.strip()]
        assert said == [sentence for sentence in shown["sentences"] if sentence]
    assert "Nothing to read yet" in shown["sentences"][0]


def test_the_model_comes_in_a_script_on_chapter_8_only(reader):
    """The weights are a script the page loads (<script src>; a fetch fails from file://), never fetched at run time,
    and only chapter 8's page loads them and the reader."""
    scripts = reader.page.evaluate("""() => performance.getEntriesByType('resource')
        .map(e => [e.name.split('/').pop().split('?')[0], e.initiatorType])""")
    kinds = dict(scripts)
    assert kinds.get(rc.BROWSER_MODEL_JS) == "script" and kinds.get("browser_reader.js") == "script", scripts
    assert not [name for name, kind in scripts if kind in ("fetch", "xmlhttprequest") and "reading" in name]
    for page in site.PAGES:
        html = (site.SITE / page).read_text(encoding="utf-8")
        assert (rc.BROWSER_MODEL_JS in html) == (page == PAGE) == ("browser_reader.js" in html), page


def test_the_reader_works_opened_from_disk(browser):
    """Opened as a file (make book opens file://.../index.html), with every request off the disk blocked: the box
    reads the code and no error is logged."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            problems.append(f"blocked: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.goto((site.SITE / PAGE).resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    shown = _set(page, code="x = f(a, (b", choice="brackets", hold=True)
    context.close()
    assert shown["sentences"][0].startswith("After your last character the model gives ')' a probability of ")
    assert not problems, problems


def _axe(page):
    page.add_script_tag(content=site.AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .filter(v => ["critical", "serious"].includes(v.impact))
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}))""")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_code_typed_and_a_gate_held_leave_no_serious_accessibility_violation(browser, base_url, mode):
    """axe-core on the page after a reader typed code (with a character the model does not know) and held a gate."""
    opened = site.LoadedPage(browser, base_url, PAGE, color_scheme=mode)
    page = opened.page
    _set(page, code=HELD_OUT[:200] + "caf\u00e9(", choice="string", gate="input", value=0.5, hold=True)
    site.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".lstm-browser-reader").screenshot(path=site.SCREENSHOTS / f"08_browser_reader.{mode}.png")
    bad = _axe(page)
    opened.close()
    assert not bad, json.dumps(bad, indent=1)


def test_the_keyboard_reaches_every_control_and_holds_a_gate(reader):
    """Tab goes from the box through every control, in the order they are shown; Space ticks the hold, an arrow key
    moves the value, and the title and the sentence follow. Every control has a name (its label)."""
    page = reader.page
    _set(page, code="x = f(a, (b", choice="brackets", gate="forget", value=1.0, hold=False)
    page.focus(_control("code"))
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.id || document.activeElement.className"))
    assert order == [f"lstm-browser-reader-{n}" for n in ("choice", "hold", "gate", "value", "number")] + ["lstm-br-lines"]
    page.focus(_control("hold"))
    page.keyboard.press("Space")
    page.focus(_control("value"))
    page.keyboard.press("ArrowLeft")  # 1 -> 0.95
    shown = page.evaluate("() => window.lstmBrowserReader.shown()")
    assert shown["result"]["title"].endswith("its forget gate held at 0.95")
    assert page.locator(_control("number")).input_value() == "0.95"
    held = rc.reading_compute("x = f(a, (b", "brackets", hold=True, gate="forget", value=0.95)
    assert shown["sentences"][0] == rc.reader_sentences(held)[0]
    names = page.evaluate("""() => [...document.querySelectorAll('.lstm-browser-reader :is(textarea, select, input)')]
        .map(e => [e.id, (e.labels && e.labels.length > 0) || !!e.getAttribute('aria-label')])""")
    assert all(named for _, named in names), names


def test_a_phone_shows_the_reader_whole(browser, base_url):
    """At 390 CSS px, with a line longer than the column and a gate held: the page does not scroll sideways, the box
    stays inside the column, and the long line scrolls inside the picture, which the keyboard can reach."""
    phone = site.LoadedPage(browser, base_url, PAGE, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                            is_mobile=True, has_touch=True)
    page = phone.page
    long_line = "result = some_function(first_argument, [second, third], {'key': (value, other)})  # a comment\n"
    _set(page, code=long_line + HELD_OUT[:150], choice="brackets", gate="forget", value=1.0, hold=True)
    site.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".lstm-browser-reader").screenshot(path=site.SCREENSHOTS / "08_browser_reader.phone.png")
    width, sticking_out, lines = page.evaluate("""() => {
        const column = document.querySelector('article').getBoundingClientRect();
        const out = [...document.querySelectorAll('.lstm-browser-reader, .lstm-browser-reader *')]
            .filter(e => !(e.parentElement && e.parentElement.closest('.lstm-br-lines'))
                         && e.getBoundingClientRect().right > column.right + 1)
            .map(e => e.tagName + '.' + e.className);
        const lines = document.querySelector('.lstm-br-lines');
        return [document.documentElement.scrollWidth, out,
                [lines.scrollWidth > lines.clientWidth, lines.tabIndex, getComputedStyle(lines).overflowX]];
    }""")
    problems = [p for p in phone.problems if "error" in p]
    phone.close()
    assert width <= 390 and not sticking_out, (width, sticking_out)
    assert lines == [True, 0, "auto"], lines
    assert not problems, problems
