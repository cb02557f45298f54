"""The built website, opened in a real browser with the network cut off.

Runs over the pages of ``_build/html`` (build it first: ``make build``; ``make test`` does) in headless
Chromium driven by Playwright, serving the site from a local HTTP server on 127.0.0.1 and aborting
every request that leaves it. For every page:

* it loads with no console error, no page error and no failed or blocked request;
* every internal link (and its ``#fragment``) resolves;
* every ``<img>`` has a real alt text (a file name is not one, unless a caption describes the figure);
* the maths is rendered: no ``$``, ``\\(`` or ``\\command`` left in the visible prose;
* widgets show: sliders are visible with their values;
* every "static twin" (a slider ``jslink``-ed to the ``selected_index`` of a ``widgets.Stack`` of
  pictures) responds: moving the slider changes the picture, compared pixel by pixel;
* a reader downloads under 3 MB for it: HTML plus every file it loads, gzipped as a server sends
  them, the shared widget manager aside (``tools/page_weight.py`` prints the table);
* a screenshot of the page's article goes to ``artifacts/screenshots/`` (git-ignored) for a human look.

Pages are found by walking the build, so chapters added later are covered with no change here.
The browser is the system Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``); never
``playwright install``. ``make test`` installs Chromium with apt-get when it is missing.
These tests never skip: no build or no browser is a failure.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Chapters that promise a slider which works on the static site (a jslink-ed slider + Stack).
CHAPTERS_WITH_STATIC_TWINS = ("01_", "03_", "05_", "06_", "08_")

pytestmark = pytest.mark.site


_spec = importlib.util.spec_from_file_location("page_weight", ROOT / "tools" / "page_weight.py")
page_weight = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page_weight)


def _pages() -> list[str]:
    return page_weight.pages(SITE) if (SITE / "index.html").exists() else []


PAGES = _pages()


def test_site_is_built():
    assert PAGES, f"no built site at {SITE}: run `make build` first (`make test` builds before testing)"
    redirect = re.search(r'url=([^"]+)"', (SITE / "index.html").read_text(encoding="utf-8"))
    if redirect:  # Jupyter Book's index.html sends the reader to the root page
        assert (SITE / redirect.group(1)).is_file(), f"index.html redirects to a missing {redirect.group(1)}"


# ---------------------------------------------------------------------------------------------
# Fixtures: a local HTTP server and one browser for the whole module, one page at a time.


@pytest.fixture(scope="module")
def base_url():
    with page_weight.serve(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. `make test` installs it (apt-get install chromium); "
            "or set CHROMIUM=/path/to/chromium."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LoadedPage:
    """A page opened with every outside request aborted, and what went wrong while it loaded (and while the reader
    goes on from it). `context` sets the browser context: a 1280 px wide screen by default; a phone, dark mode."""

    def __init__(self, browser, base_url: str, name: str, **context):
        self.name, self.base_url = name, base_url
        self.context = browser.new_context(**({"viewport": {"width": 1280, "height": 1000}} | context))
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.sizes: dict[str, int] = {}  # url -> bytes received
        self.page.route("**/*", functools.partial(self._route, base_url))
        self.page.on("console", self._console)
        self.page.on("requestfinished", self._finished)
        self.page.on("pageerror", lambda err: self._problem(f"page error: {err}"))
        self.page.on("requestfailed", lambda r: self._problem(f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: self._problem(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        self.page.goto(base_url + name, wait_until="networkidle")
        self.wait_until_rendered()

    def wait_until_rendered(self):
        """Wait for what a page draws after it has loaded: its widgets, then its maths."""
        self.has_widgets = self.page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count() > 0
        if self.has_widgets:
            # The widget manager renders after load; wait until every view placeholder has a widget.
            self.page.wait_for_function(
                """() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
                       .every(s => s.parentElement.querySelector('.jupyter-widgets'))""",
                timeout=20_000,
            )
        self._wait_for_mathjax()

    def where(self):
        """The page the browser shows now, as a path in the site."""
        return self.page.url.removeprefix(self.base_url)

    def _problem(self, text):
        self.problems.append(f"{self.where()}: {text}")

    def _route(self, base_url, route):
        url = route.request.url
        if url.startswith(base_url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self._problem(f"request outside the site (blocked): {url}")
            route.abort()

    def _finished(self, request):
        self.sizes[request.url.split("?", 1)[0]] = request.sizes()["responseBodySize"]

    def _console(self, msg):
        if msg.type == "error":
            self._problem(f"console error: {msg.text}")

    def _wait_for_mathjax(self):
        self.page.evaluate(
            """() => (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)
                     ? window.MathJax.startup.promise.then(() => true) : true"""
        )
        self.page.wait_for_timeout(300)  # widget labels are typeset just after

    def close(self):
        self.context.close()


@pytest.fixture(scope="module", params=PAGES)
def name(request):
    """One built page; module scope makes pytest run all the checks of one page together."""
    return request.param


@pytest.fixture(scope="module")
def loaded(browser, base_url, name):
    page = LoadedPage(browser, base_url, name)
    yield page
    page.close()


# ---------------------------------------------------------------------------------------------
# Per-page tests.


def test_page_loads_offline_without_errors(loaded, name):
    page = loaded
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.page.locator("article").first.screenshot(path=SCREENSHOTS / (name.replace("/", "__")[:-5] + ".png"))
    assert not page.problems, f"{name}:\n" + "\n".join(page.problems)


def test_page_weight(loaded, name, base_url):
    total = page_weight.page_total(page_weight.transfer_sizes(loaded.sizes, base_url, SITE))
    assert total < page_weight.LIMIT_BYTES, (
        f"{name} makes a reader download {total / 2**20:.2f} MB (limit {page_weight.LIMIT_BYTES / 2**20:.0f} MB, "
        "the shared embed-amd.js aside); see `python tools/page_weight.py`"
    )


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links_resolve(name):
    broken = []
    for href in _parse(SITE / name).hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            continue  # outside the site: not ours to check offline
        target = urljoin("/" + name, unquote(parts.path)) if parts.path else "/" + name
        path = SITE / target.lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            broken.append(f"{href} -> missing {path.relative_to(SITE)}")
        elif parts.fragment and path.suffix == ".html" and parts.fragment not in _parse(path).ids:
            broken.append(f"{href} -> no #{parts.fragment} in {path.relative_to(SITE)}")
    assert not broken, f"{name} has broken links:\n" + "\n".join(broken)


FILE_NAME = re.compile(r"\.(png|jpe?g|svg|gif|webp)$", re.I)


def test_images_have_alt_text(loaded, name):
    images = loaded.page.evaluate(
        """() => [...document.querySelectorAll('img')].map(img => ({
               src: (img.getAttribute('src') || '').slice(0, 80),
               alt: (img.getAttribute('alt') || '').trim(),
               captioned: !!(img.closest('figure') && img.closest('figure').querySelector('figcaption')),
           }))"""
    )
    bad = [
        f"{img['src']!r} alt={img['alt']!r}"
        for img in images
        if not img["alt"] or (FILE_NAME.search(img["alt"]) and not img["captioned"])
    ]
    assert not bad, (
        f"{name}: images without a real alt text (give the cell `mystnb: image: alt:` metadata or a figure "
        "caption; in a widget, show the picture with widgets.HTML('<img src=\"data:...\" alt=\"...\">') "
        "since widgets.Image has no alt):\n" + "\n".join(bad)
    )


def test_dark_mode_keeps_figures_readable(loaded, name):
    """In the theme's dark mode every picture still sits on white (matplotlib draws black text on white)."""
    page = loaded.page
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
    try:
        backgrounds = page.evaluate(
            """() => [...document.querySelectorAll('.bd-content img')].filter(img => img.offsetWidth > 0)
                   .map(img => [(img.getAttribute('src') || '').slice(0, 60), getComputedStyle(img).backgroundColor])"""
        )
        if backgrounds:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator("article").first.screenshot(path=SCREENSHOTS / (name.replace("/", "__")[:-5] + ".dark.png"))
    finally:
        page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")
    dark = [src for src, bg in backgrounds if bg != "rgb(255, 255, 255)"]
    assert not dark, f"{name}: in dark mode these pictures lose their white background: {dark}"


def test_math_is_rendered(loaded, name):
    text = loaded.page.evaluate(
        """() => {
               const article = document.querySelector('article').cloneNode(true);
               article.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight')
                      .forEach(e => e.remove());
               return article.innerText;
           }"""
    )
    raw = re.findall(r".{0,30}(?:\$|\\\(|\\\[|\\[A-Za-z]+).{0,30}", text)
    assert not raw, f"{name}: maths left unrendered in the visible text:\n" + "\n".join(raw)


# A chapter's main path is words and pictures: at most this many formulas (inline or displayed, each once) outside
# the boxes for the curious, the exercises and their solutions, and folded code (issue 20); chapter 5, which writes
# the LSTM's equations out, may have more.
FORMULAS_ON_THE_MAIN_PATH = {"05_": 20}
FORMULAS_PER_CHAPTER = 8
FOLDED = "details, .dropdown, .exercise, .solution, pre, .highlight"


def test_a_chapters_main_path_is_words_and_pictures(loaded, name):
    chapter = re.match(r"notebooks/(\d+_)", name)
    if not chapter:
        return  # the front page, the glossary and the references are not chapters
    limit = FORMULAS_ON_THE_MAIN_PATH.get(chapter.group(1), FORMULAS_PER_CHAPTER)
    # Sphinx writes each formula as one element of class math (a span inline, a div displayed), whatever MathJax
    # then draws in it; its source is the element's MathJax-readable text (kept in an assistive copy)
    formulas = loaded.page.evaluate(
        """(folded) => [...document.querySelectorAll('article .math')].filter(m => !m.closest(folded))
                          .map(m => (m.querySelector('mjx-assistive-mml') || m).textContent.trim().slice(0, 40))""",
        FOLDED)
    print(f"{name}: {len(formulas)} formulas on the main path")
    assert len(formulas) <= limit, f"{name}: {len(formulas)} formulas on the main path (at most {limit}): {formulas}"


def test_no_raw_markdown_left(loaded, name):
    """A Markdown output (a table printed with IPython.display.Markdown) is rendered, not shown as pipes."""
    text = loaded.page.evaluate("() => document.querySelector('article').innerText")
    raw = re.findall(r".{0,40}\|\s*:?(?:-{3,}|\u2014)-*:?\s*\|.{0,40}", text)  # MyST may turn --- into an em dash
    assert not raw, f"{name}: a Markdown table is shown raw:\n" + "\n".join(raw)


def test_exercises_ask_for_no_kernel(loaded, name):
    """The website runs no Python: no check cell may tell the reader to run it, or answer "Not yet"."""
    text = loaded.page.evaluate("() => document.querySelector('article').innerText")
    for phrase in ("run the cell", "Not yet.", "Replace None", "in answer", "Answer with a dict"):
        assert phrase not in text, f"{name}: the page says {phrase!r}"


def test_solutions_open_from_every_part_of_their_title(loaded, name):
    page = loaded.page
    solutions = page.locator(".solution.toggle")
    if not solutions.count():
        return  # a page without exercises (the intro, the glossary, the references)
    solution = solutions.first
    title = solution.locator(":scope > .admonition-title")
    hidden = lambda: "toggle-hidden" in solution.get_attribute("class")  # noqa: E731
    assert hidden(), f"{name}: a solution is open before the reader asks"
    title.scroll_into_view_if_needed()
    before, problems = page.evaluate("() => window.scrollY"), len(loaded.problems)
    clicks = [("the link in the title", title.locator("a").first.click),
              ("the title's text", lambda: title.click(position={"x": 12, "y": 10})),
              ("the button", title.locator(".toggle-button").click)]
    for part, click in clicks * 2:  # each opens a closed solution and closes an open one
        was_hidden = hidden()
        click()
        page.wait_for_timeout(100)
        assert hidden() != was_hidden, f"{name}: a click on {part} did not {'open' if was_hidden else 'close'} the solution"
    assert page.evaluate("() => window.scrollY") == before, f"{name}: the page jumped"
    assert len(loaded.problems) == problems, f"{name}: " + "\n".join(loaded.problems[problems:])


def test_sliders_show_their_values(loaded, name):
    page = loaded.page
    sliders = page.locator(".widget-slider")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        assert slider.is_visible(), f"{name}: slider {i} is not visible"
        readout = slider.locator(".widget-readout")
        if readout.count():  # readout=False hides it on purpose
            assert readout.first.is_visible() and readout.first.inner_text().strip(), (
                f"{name}: slider {i} shows no value"
            )


def _static_twin_outputs(page) -> list[int]:
    """Indices (among the page's `.cell_output`s) of outputs holding a slider or toggle buttons jslink-ed to a Stack."""
    return page.evaluate(
        """() => {
            const state = {};
            document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]').forEach(s => {
                Object.assign(state, JSON.parse(s.textContent).state);
            });
            const id = ref => (typeof ref === 'string' ? ref.replace('IPY_MODEL_', '') : null);
            const linkedStacks = new Set();
            for (const m of Object.values(state)) {
                if (!['LinkModel', 'DirectionalLinkModel'].includes(m.model_name)) continue;
                for (const [a, b] of [[m.state.source, m.state.target], [m.state.target, m.state.source]]) {
                    if (a && b && a[1] === 'selected_index' && state[id(a[0])]
                        && state[id(a[0])].model_name === 'StackModel') linkedStacks.add(id(a[0]));
                }
            }
            const contains = (root, seen = new Set()) => {
                if (!root || seen.has(root) || !state[root]) return false;
                seen.add(root);
                if (linkedStacks.has(root)) return true;
                return (state[root].state.children || []).some(c => contains(id(c), seen));
            };
            const outputs = [...document.querySelectorAll('.cell_output')];
            return outputs.map((out, i) => {
                const views = [...out.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
                const twin = views.some(v => contains(JSON.parse(v.textContent).model_id))
                             && out.querySelector('.widget-slider, .widget-toggle-buttons');
                return twin ? i : -1;
            }).filter(i => i >= 0);
        }"""
    )


def test_static_twin_sliders_change_the_picture(loaded, name):
    page = loaded.page
    outputs = page.locator(".cell_output")
    for index in _static_twin_outputs(page):
        out = outputs.nth(index)
        out.scroll_into_view_if_needed()
        # Mask the sliders themselves: only the picture counts.
        masks = [out.locator(".widget-slider"), out.locator(".widget-toggle-buttons")]
        before = out.screenshot(mask=masks, animations="disabled")
        tall = out.bounding_box()["height"]
        handles = out.locator(".widget-slider .noUi-handle")
        for i in range(handles.count()):
            handle = handles.nth(i)
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            handle.focus()
            page.keyboard.press("Home" if at_max else "End")
        toggles = out.locator(".widget-toggle-buttons")
        for i in range(toggles.count()):  # words instead of numbers: click the last choice of each
            toggles.nth(i).locator("button").last.click()
        page.wait_for_timeout(400)
        after = out.screenshot(mask=masks, animations="disabled")
        assert before != after, f"{name}: moving the slider of output {index} did not change its picture"
        # and the page does not jump (chapter 8's code control once switched between 568 and 707 px)
        assert abs(out.bounding_box()["height"] - tall) < 1, f"{name}: output {index} changed its height"


def test_rapid_presses_on_a_slider_log_no_error(browser, base_url, name):
    """Arrow keys pressed as fast as the browser takes them, on every slider of the page (in a page of its own):
    the console stays clean (ipywidgets' Stack logged a TypeError here before book/_static_site/widget_guard.js)."""
    loaded = LoadedPage(browser, base_url, name)
    page = loaded.page
    handles = page.locator(".widget-slider .noUi-handle")
    for k in range(handles.count()):
        handle = handles.nth(k)
        handle.scroll_into_view_if_needed()
        handle.focus()
        for key in ["ArrowRight"] * 12 + ["ArrowLeft"] * 12 + ["End", "Home"] * 3:
            page.keyboard.press(key, delay=0)
        page.wait_for_timeout(300)
    errors = [p for p in loaded.problems if "console error" in p or "page error" in p]
    loaded.close()
    assert not errors, f"{name}: " + "\n".join(errors[:3])


def test_promised_chapters_have_static_twins(loaded, name):
    if Path(name).name.startswith(CHAPTERS_WITH_STATIC_TWINS):
        assert _static_twin_outputs(loaded.page), (
            f"{name} promises a slider that works on the static site (jslink + Stack) but has none"
        )


def test_the_static_note_is_said_once_per_page(loaded, name):
    """The note that a picture was drawn in advance (lstm_book.sliders.STATIC_NOTE) comes once on a page with a static
    picture, under the first one (the others pass note=False), and never on a page without one."""
    page = loaded.page
    notes = page.locator(".lstm-note-site").count()
    twins = _static_twin_outputs(page)
    assert notes <= 1, f"{name} says {notes} times that its pictures were drawn in advance: once is enough"
    assert notes == (1 if twins else 0), f"{name} has {len(twins)} static pictures and {notes} notes"
    if twins:
        first = page.locator(".cell_output").nth(twins[0])
        assert first.locator(".lstm-note-site").count() == 1, f"{name}: the note is not under its first static picture"


def test_every_page_says_who_made_it_and_under_which_licence(name):
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    html = (SITE / name).read_text(encoding="utf-8")
    missing = [what for what, text in [
        ("the authors", f"By {config['author']}"),
        ("the copyright line", f"Copyright {config['copyright']}."),
        ("the code licence", "MIT licence"),
        ("the prose licence", "CC BY 4.0"),
        ("the repository link", f'href="{config["repository"]["url"]}"'),
    ] if text not in html]
    assert not missing, f"{name} lacks {missing}"


def test_figures_are_numbered_per_chapter(name):
    """Chapter 5's figures read Fig. 5.1, 5.2, ... in page order (book/_ext/chapter_figures.py); other pages number
    none, so no number is shared by two figures of the book."""
    numbers = re.findall(r'<span class="caption-number">Fig\. ([\d.]+) </span>', (SITE / name).read_text(encoding="utf-8"))
    chapter = re.match(r"notebooks/(\d+)_", name)
    expected = [f"{int(chapter.group(1))}.{k}" for k in range(1, len(numbers) + 1)] if chapter else []
    assert numbers == expected, f"{name}: figure numbers {numbers}, expected {expected}"


def test_every_page_reached_from_the_one_before_loads_without_errors(browser, base_url):
    """Reached through the book's "next" links, as a reader goes (not only opened directly): no 404, no error."""
    reader = LoadedPage(browser, base_url, "book/intro.html")  # where the book starts
    seen = [reader.where()]
    while reader.page.locator("a.right-next").count():
        reader.page.locator("a.right-next").first.click()
        reader.page.wait_for_load_state("networkidle")
        reader.wait_until_rendered()  # the widget manager renders after load, and fetches its fonts then
        seen.append(reader.where())
    reader.close()
    assert sorted(seen) == sorted(PAGES), f"the next links reach {seen}, the site has {PAGES}"
    assert not reader.problems, "\n".join(reader.problems)


AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"  # axe-core from npm (tools/vendor_js.sh), MPL-2.0


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_critical_or_serious_violation(browser, base_url, name, mode):
    """axe-core, run on the page as it is after the widgets have rendered, in light and in dark mode."""
    opened = LoadedPage(browser, base_url, name, color_scheme=mode)
    page = opened.page
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}))""")
    opened.close()
    counts = {impact: sum(v["impact"] == impact for v in violations) for impact in ("critical", "serious", "moderate", "minor")}
    report = SCREENSHOTS.parent / "axe.json"  # the counts of every page, for the record
    SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
    record = json.loads(report.read_text()) if report.exists() else {}
    record[f"{name} ({mode})"] = counts
    report.write_text(json.dumps(record, indent=1, sort_keys=True))
    bad = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert not bad, f"{name} ({mode}):\n" + "\n".join(f"{v['impact']} {v['id']}: {v['nodes']}" for v in bad)


def test_sliders_have_names_value_texts_and_read_only_readouts(loaded, name):
    page = loaded.page
    sliders = page.locator(".widget-slider")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        handle = slider.locator('.noUi-handle[role="slider"]')
        label = slider.locator(".widget-label").inner_text().strip()
        readout = slider.locator(".widget-readout")
        assert handle.get_attribute("aria-label") == label, f"{name}: slider {i} has no name"
        assert handle.get_attribute("aria-valuetext") == readout.inner_text().strip(), f"{name}: slider {i}"
        assert readout.get_attribute("contenteditable") == "false", f"{name}: slider {i}'s readout can be typed in"
    if sliders.count():  # the keyboard moves a slider, and the screen reader hears the new value
        slider = sliders.first
        handle = slider.locator('.noUi-handle[role="slider"]')
        handle.focus()
        page.keyboard.press("Home")  # another test may have left it anywhere
        page.wait_for_timeout(100)
        before = handle.get_attribute("aria-valuetext")
        page.keyboard.press("End")
        page.wait_for_timeout(100)
        after = handle.get_attribute("aria-valuetext")
        assert after != before and after == slider.locator(".widget-readout").inner_text().strip(), (name, before, after)
        page.keyboard.press("Home")


def test_a_phone_shows_every_widget_player_figure_and_table_whole(browser, base_url, name):
    """At 390 CSS px (a phone, by touch): nothing widens the page, nothing sticks out of the column, no widget
    scrolls sideways inside itself (code blocks and wide equations may), and a slider moves by a tap."""
    phone = LoadedPage(browser, base_url, name, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                       is_mobile=True, has_touch=True)
    page = phone.page
    width, problems = page.evaluate("""() => {
        const column = document.querySelector('article').getBoundingClientRect();
        const out = [];
        for (const el of document.querySelectorAll(
                'article .jupyter-widgets, article .widget-inline-hbox, article .animation, article img, article table')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0) continue;
            const what = el.tagName.toLowerCase() + '.' + [...el.classList].slice(0, 3).join('.');
            if (r.right > column.right + 1) out.push(`${what} sticks out ${Math.round(r.right - column.right)} px`);
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
                out.push(`${what} scrolls sideways by ${el.scrollWidth - el.clientWidth} px`);
        }
        return [document.documentElement.scrollWidth, [...new Set(out)]];
    }""")
    sliders = page.locator(".widget-slider")
    if sliders.count():
        slider = sliders.first
        slider.scroll_into_view_if_needed()
        before = slider.locator(".widget-readout").inner_text()
        track = slider.locator(".noUi-base").bounding_box()
        page.touchscreen.tap(track["x"] + track["width"] - 2, track["y"] + track["height"] / 2)
        page.wait_for_timeout(200)
        if slider.locator(".widget-readout").inner_text() == before:
            problems.append(f"a tap at the end of the first slider's track left it at {before}")
    phone.close()
    assert width <= 390 and not problems, f"{name} at 390 px: page {width} px wide\n" + "\n".join(problems)


MIN_TEXT_CSS_PX = 10


def _shown_images(page):
    """Every image the page shows: src, natural and shown width, alt, the zoom's full width and `text_px`, the size
    of its smallest text in its own pixels (from its PNG's text chunk, lstm_book.figures.figure_to_png, or the
    animation player's attribute; None if it does not say)."""
    import base64
    import io

    from PIL import Image

    from lstm_book.figures import SMALLEST_TEXT

    shown = page.evaluate("""() => [...document.querySelectorAll('article img')]
        .map(i => ({src: i.currentSrc, natural: i.naturalWidth, width: i.getBoundingClientRect().width,
                    attr: i.getAttribute('data-smallest-text-px'), alt: (i.alt || '').slice(0, 60),
                    full: i.getAttribute('data-lstm-full-width'), zoomable: i.classList.contains('lstm-zoomable')}))
        .filter(i => i.width > 0)""")
    for img in shown:
        if img["attr"] is not None:
            img["text_px"] = float(img["attr"])
            continue
        if img["src"].startswith("data:"):
            data = base64.b64decode(img["src"].split(",", 1)[1])
        else:
            data = (SITE / unquote(urlsplit(img["src"]).path).lstrip("/")).read_bytes()
        chunk = Image.open(io.BytesIO(data)).text.get(SMALLEST_TEXT)
        img["text_px"] = None if chunk is None else float(chunk)
    return shown


PHONE_MIN_TEXT_CSS_PX = 9


def test_on_a_phone_every_figure_is_legible_or_opens_at_full_size(browser, base_url, name):
    """At 390 CSS px every figure's smallest text is at least 9 CSS px where the page shows it, or the figure opens
    at full size (book/_static_site/figure_zoom.js) where it is: by a tap, and by Enter from the keyboard; a tap and
    Escape close it, and the keyboard's focus goes back to the figure."""
    phone = LoadedPage(browser, base_url, name, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                       is_mobile=True, has_touch=True)
    page = phone.page
    page.wait_for_timeout(300)
    problems, small = [], []
    for index, img in enumerate(_shown_images(page)):
        if img["text_px"] is None:
            continue
        if img["text_px"] * img["width"] / img["natural"] >= PHONE_MIN_TEXT_CSS_PX:
            continue
        small.append(index)
        if not img["zoomable"]:
            problems.append(f"{img['alt']!r}: text {img['text_px'] * img['width'] / img['natural']:.1f} CSS px, "
                            "and it does not open at full size")
        elif img["text_px"] * float(img["full"]) / img["natural"] < PHONE_MIN_TEXT_CSS_PX:
            problems.append(f"{img['alt']!r}: at full size ({img['full']} px) its text is still under 9 CSS px")
    if small:  # open and close the first small one, by touch and by keyboard
        figure = page.locator("article img").nth(small[0])
        figure.scroll_into_view_if_needed()
        is_open = "() => !!document.querySelector('dialog.lstm-zoom[open]')"
        figure.tap()
        page.wait_for_timeout(200)
        shown = page.evaluate("""() => { const i = document.querySelector('dialog.lstm-zoom[open] img');
                                         return i ? i.getBoundingClientRect().width : 0; }""")
        if not page.evaluate(is_open) or shown < float(page.locator("article img").nth(small[0])
                                                         .get_attribute("data-lstm-full-width")) - 1:
            problems.append("a tap on a small figure did not open it at full size")
        page.locator("dialog.lstm-zoom").tap(position={"x": 20, "y": 400})
        page.wait_for_timeout(200)
        if page.evaluate(is_open):
            problems.append("a tap on the figure at full size did not close it")
        figure.evaluate("i => (i.closest('a.image-reference') || i).focus()")
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        opened = page.evaluate(is_open)
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        back = page.evaluate("() => document.activeElement && document.activeElement.tagName")
        if not opened or page.evaluate(is_open) or back not in ("IMG", "A"):  # the figure, or Sphinx's link on it
            problems.append(f"Enter opened it: {opened}; Escape closed it and gave the focus back: {back}")
    errors = [p for p in phone.problems if "error" in p]
    phone.close()
    print(f"{name}: {len(small)} figures under {PHONE_MIN_TEXT_CSS_PX} CSS px at 390 px open at full size")
    assert not problems and not errors, f"{name} at 390 px:\n" + "\n".join(problems + errors[:3])


def test_every_figure_text_is_legible_and_every_figure_sharp(loaded, name):
    """At 1280 px, the smallest text of every figure is at least 10 CSS px where the page shows it, and every
    figure has at least twice as many pixels as it is shown with (sharp on high-density screens). Each PNG of the
    book says the size of its smallest text in its own pixels (lstm_book.figures.figure_to_png); the animation's
    player says it in an attribute (its frames are drawn at 1x, to keep the page light)."""
    problems = []
    for img in _shown_images(loaded.page):
        if img["text_px"] is None:
            problems.append(f"{img['alt']!r}: the PNG does not say how small its text is")
            continue
        text_px, sharp = img["text_px"], None if img["attr"] is not None else img["natural"] / img["width"]
        css = text_px * img["width"] / img["natural"]
        if css < MIN_TEXT_CSS_PX:
            problems.append(f"{img['alt']!r}: smallest text {css:.1f} CSS px at {img['width']:.0f} px wide")
        if sharp is not None and sharp < 1.9:
            problems.append(f"{img['alt']!r}: {img['natural']} px shown at {img['width']:.0f} px: not drawn at 2x")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_progress_bars_tell_the_truth(loaded, name):
    """A progress bar is as full as its numbers say (chapter 7 once showed "100% 75/75" beside a bar 2% full)."""
    bars = loaded.page.evaluate("""() => [...document.querySelectorAll('article .widget-hprogress, article .widget-progress')]
        .map(p => { const row = p.closest('.widget-hbox') || p.parentElement;
                    const bar = p.querySelector('.progress-bar');
                    return {text: row.innerText, fill: bar ? parseFloat(bar.style.width) : null,
                            colour: bar ? getComputedStyle(bar).backgroundColor : null}; })""")
    for bar in bars:
        assert bar["fill"] is not None, f"{name}: a progress bar that draws no bar: {bar}"
        # a run whose budget ran out ends vermillion (Okabe-Ito), not in the green of success
        words = " ".join(bar["text"].split())  # tqdm's figure spaces (U+2007) read as spaces
        assert ("not solved" in words) == (bar["colour"] == "rgb(213, 94, 0)"), f"{name}: {bar}"
        counts = re.search(r"(\d+)/(\d+)", bar["text"])
        if counts:  # n of a known total: the bar is that full
            done, total = map(int, counts.groups())
            assert abs(bar["fill"] - 100 * done / total) < 1.5, f"{name}: {bar['text']!r} beside a bar {bar['fill']}% full"
        else:  # no total (a run that stops when it is done): a finished bar is full, never a sliver
            assert bar["fill"] == 100, f"{name}: {bar['text']!r} beside a bar {bar['fill']}% full"
