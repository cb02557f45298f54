"""The book's configuration holds together: one repository URL, offline assets in place, pages complete.

Fast checks on the source files (no build needed).
"""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SPHINX = CONFIG["sphinx"]["config"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_spec = importlib.util.spec_from_file_location("sync_repo_url", ROOT / "tools" / "sync_repo_url.py")
sync_repo_url = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sync_repo_url)
_spec = importlib.util.spec_from_file_location("notebook_refs", ROOT / "book" / "_ext" / "notebook_refs.py")
notebook_refs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_refs)

GLOSSARY_TERMS = [
    "activation function", "sigmoid", "tanh", "gate", "forget gate", "input gate", "output gate",
    "candidate", "cell state", "hidden state", "recurrent neural network", "LSTM", "GRU", "unrolling",
    "backpropagation through time", "BPTT", "vanishing gradient", "exploding gradient",
    "gradient clipping", "feedforward network", "sequence", "time step", "weight", "bias",
    "memory cell", "half-life", "saturate", "loss", "cross-entropy", "norm", "seed", "held-out", "update", "peephole",
    "readout", "softmax", "parameter", "bits per character", "correlation", "temperature",
]
BIB_KEYS = ["hochreiter1997", "gers2000", "olah2015", "greff2017", "jozefowicz2015", "cho2014", "bengio1994", "pascanu2013", "kingma2015", "zhang2023", "karpathy2015"]


def test_repository_url_is_one_setting():
    url = CONFIG["repository"]["url"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_installs_from_the_configured_repository(path):
    problem = sync_repo_url.check(path, sync_repo_url.repository_url())
    assert problem is None, f"{path.name}: {problem}. Run: .venv/bin/python tools/sync_repo_url.py"


def test_sync_repo_url_rewrites_a_stale_url(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell('%pip install --quiet "lstms-by-hand @ git+https://github.com/old/place"'),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    url = "https://github.com/new/place"
    assert sync_repo_url.check(path, url) is not None
    assert sync_repo_url.sync(path, url)
    assert sync_repo_url.check(path, url) is None
    assert f'"lstms-by-hand @ git+{url}"' in nbformat.read(path, as_version=4).cells[1].source


def _toc_files(node) -> set[str]:
    files = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("file", "root"):
                files.add(str(value))
            files |= _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files |= _toc_files(item)
    return files


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_notebook_is_in_the_toc(path):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = {f.removesuffix(".ipynb").removesuffix(".md") for f in _toc_files(toc)}
    assert f"notebooks/{path.stem}" in files, f"{path.name} is not in _toc.yml, so the site leaves it out"


def test_offline_assets_exist():
    static = [ROOT / p for p in SPHINX["html_static_path"]]
    wanted = list(SPHINX["nb_ipywidgets_js"]) + [SPHINX["mathjax_path"]] + list(SPHINX["html_css_files"])
    for rel in wanted:
        assert not re.match(r"(https?:)?//", rel), f"{rel} would load from the network"
        assert any((s / rel).is_file() for s in static), f"{rel} is not in {static}"


def test_vendored_files_stay_small():
    vendor = ROOT / "book" / "_static_site" / "vendor"
    size = sum(p.stat().st_size for p in vendor.rglob("*") if p.is_file())
    assert size < 8 * 2**20, f"book/_static_site/vendor is {size / 2**20:.1f} MB (keep it under 8 MB)"


def test_glossary_has_every_term():
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    terms = {line.strip() for line in block.splitlines() if line.strip() and not line.startswith(" ")}
    missing = [t for t in GLOSSARY_TERMS if t not in terms]
    assert not missing, f"glossary lacks {missing}"


def _glossary_entries():
    """Each entry of the glossary as the list of its names (an entry may have several: RNN, recurrent ...)."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    entries = []
    for chunk in re.split(r"\n\s*\n", block.strip("\n")):
        names = [line.strip() for line in chunk.splitlines() if line.strip() and not line.startswith(" ")]
        entries.append(names)
    return entries


def _term_links():
    """Every name a {term} role points at, in the chapters and the intro (not the glossary itself)."""
    texts = [notebook_refs.to_roles(c.source) for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells
             if c.cell_type == "markdown"]
    texts += [(ROOT / "book" / "intro.md").read_text(encoding="utf-8")]
    links = set()
    for text in texts:
        for target in re.findall(r"\{term\}`([^`]+)`", text):
            links.add(re.sub(r"^.*<(.+)>$", r"\1", target).strip().lower())
    return links


def test_every_glossary_entry_is_linked_from_the_book():
    links = _term_links()
    unlinked = [names for names in _glossary_entries() if not {n.lower() for n in names} & links]
    assert not unlinked, f"glossary entries that no chapter links to: {unlinked}"


# The main path of a chapter is its prose outside collapsed boxes, exercises and solutions.
_BOXES = [r"(?ms)^:::\{admonition\}.*?^:::[ \t]*$", r"(?ms)^````\{solution\}.*?^````[ \t]*$",
          r"(?ms)^```\{exercise\}.*?^```[ \t]*$"]
# Beyond multiply and add: these belong one click away, in a "for the curious" box.
_BEYOND = ["Jacobian", "Frobenius", "\\partial", "∂", "\\operatorname{diag}", "\\hat", "\\lVert", "||d"]


def _main_path(path):
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    for box in _BOXES:
        text = re.sub(box, "", text)
    return text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_the_main_path_is_light_on_maths(path):
    """At most a handful of displayed formulas on a chapter's main path (chapter 5: its six equations and a few
    more), and no calculus symbols: those live in collapsed boxes."""
    text = _main_path(path)
    rows = sum(len([r for r in re.split(r"\\\\", block) if r.strip()]) for block in re.findall(r"(?s)\$\$(.*?)\$\$", text))
    limit = 8 if path.name.startswith("05_") else 3
    assert rows <= limit, f"{path.name}: {rows} displayed formulas on the main path (at most {limit})"
    beyond = [w for w in _BEYOND if w in text]
    assert not beyond, f"{path.name}: {beyond} on the main path; put it in a 'For the curious' dropdown"


def test_boxes_for_the_curious_are_collapsed():
    boxes = [(p.name, m.group(0).splitlines()[:2]) for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells
             for m in re.finditer(r"(?m)^:::\{admonition\}.*\n.*", c.source)]
    assert boxes, "no 'for the curious' boxes found"
    open_boxes = [b for b in boxes if b[1][1].strip() != ":class: dropdown"]
    assert not open_boxes, f"boxes that do not start collapsed: {open_boxes}"


def _author_year(entry):
    """A citation as sphinxcontrib-bibtex's author_year style writes it: "Olah, 2015", "Kingma and Ba, 2015",
    "Cho et al., 2014"."""
    last = [" ".join(person.last_names) for person in entry.persons["author"]]
    names = last[0] if len(last) == 1 else f"{last[0]} and {last[1]}" if len(last) == 2 else f"{last[0]} et al."
    return f"{names}, {entry.fields['year']}"


def _plural(word):
    return {word, word + "s", word + "es"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_citations_and_terms_read_as_text_in_a_running_notebook(path):
    """jupyterlab-myst resolves no {cite} and no {term} into another file: a chapter writes the text its reader sees
    and marks what it stands for (book/_ext/notebook_refs.py turns the marks into roles for the website)."""
    from pybtex.database import parse_file

    bib = parse_file(ROOT / "book" / "references.bib").entries
    names = {n.lower() for entry in _glossary_entries() for n in entry}
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "markdown":
            continue
        where = f"{path.name}, cell {index}"
        assert not re.search(r"\{(term|cite)(:\w+)?\}`", cell.source), f"{where}: a role JupyterLab cannot resolve"
        for kind, shown, key in notebook_refs.markers(cell.source):
            if kind == "cite":
                assert key in bib, f"{where}: no {key!r} in book/references.bib"
                assert shown == _author_year(bib[key]), f"{where}: [{shown}] cites {key}, {_author_year(bib[key])}"
            else:
                assert key.lower() in names, f"{where}: {key!r} is no entry of the glossary"
                assert shown is not None, f"{where}: no words before the marker of {key!r}"
                words, entry = shown.lower().split(), key.lower().split()
                assert len(words) == len(entry) and all(w in _plural(e) for w, e in zip(words, entry)), (
                    f"{where}: {shown!r} does not stand for the glossary's {key!r}")
        assert notebook_refs.CITE.sub("", cell.source).count("<!-- cite") == 0, f"{where}: a citation mark unread"


def test_the_markers_become_the_roles_the_website_had():
    md = ("**half-life<!-- term: half-life -->**, two memory cells<!-- term: memory cell --> "
          "and an LSTM<!-- term: LSTM -->'s belt [Olah, 2015]<!-- cite:olah2015 -->.")
    assert notebook_refs.to_roles(md) == ("**{term}`half-life`**, two {term}`memory cells <memory cell>` "
                                          "and an {term}`LSTM`'s belt {cite}`olah2015`.")
    with pytest.raises(ValueError, match="no words before"):
        notebook_refs.to_roles("(<!-- term: memory cell -->")


def test_each_reader_gets_the_words_that_fit_where_they_read():
    """The notebook's words (between <!-- notebook --> and <!-- /notebook -->) are left out of the website, and the
    website's (<!-- site: ... -->) shown there instead; JupyterLab hides every comment."""
    md = "x? <!-- notebook -->Put it in `answer`,\nrun the cell, then move<!-- /notebook --><!-- site: Then move --> it."
    assert notebook_refs.to_roles(md) == "x? Then move it."


ASKS_FOR_A_CELL = r"`answer`|run the cell|\bAnswer with\b"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_exercise_on_the_website_asks_for_a_cell_it_cannot_run(path):
    """An exercise on the website (no kernel) says nothing of `answer` or of running a cell; what is left out of the
    website is just that, the notebook's instruction for its check cell."""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "markdown" or "{exercise}" not in cell.source:
            continue
        site = notebook_refs.to_roles(cell.source)
        for body in re.findall(r"```\{exercise\}.*?\n```", site, re.S):
            assert not re.search(ASKS_FOR_A_CELL, body), f"{path.name}, cell {index}: {body}"
        for part in notebook_refs.NOTEBOOK_ONLY.findall(cell.source):  # what the notebook's reader alone reads
            assert re.search(ASKS_FOR_A_CELL, part), f"{path.name}, cell {index}: {part!r} is the website's words too"


# The numbers an exercise gives so that a calculator (or no calculator) is enough: (chapter, the words, the value).
CALCULATOR_AIDS = [
    ("01_", "ln 9 ≈ {}", 3, math.log(9)),
    ("01_", "ln 10 ≈ {}", 3, math.log(10)),
    ("04_", "ln 0.01 / ln 0.9 ≈ {}", 1, math.log(0.01) / math.log(0.9)),
    ("04_", "\\sigma(5) \\approx {}", 5, 1 / (1 + math.exp(-5))),
    ("07_", "f = sigmoid(5) = {}", 4, 1 / (1 + math.exp(-5))),
]


@pytest.mark.parametrize("prefix, words, digits, value", CALCULATOR_AIDS, ids=[a[1] for a in CALCULATOR_AIDS])
def test_an_exercises_calculator_numbers_are_right(prefix, words, digits, value):
    """Each number an exercise hands the reader for a calculator is in that chapter's exercises, rounded right."""
    path = next(p for p in NOTEBOOKS if p.name.startswith(prefix))
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    exercises = " ".join(" ".join(body.split()) for body in re.findall(r"```\{exercise\}.*?\n```", text, re.S))
    assert words.format(f"{value:.{digits}f}") in exercises, f"{path.name}: no {words.format(f'{value:.{digits}f}')!r}"


def test_bibliography_has_every_key():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"@\w+\{([^,]+),", bib)
    assert sorted(keys) == sorted(BIB_KEYS)
    assert "book/references.bib" in CONFIG["bibtex_bibfiles"]


def test_front_page_figure_is_what_its_script_draws(tmp_path, monkeypatch):
    """book/images/memory_fades.png is regenerated bit for bit by tools/make_intro_figure.py, and its alt text's
    numbers (0.8 ** t is almost 0 by step 20; 0.98 ** 50 is about 0.36) are what the curves show."""
    spec = importlib.util.spec_from_file_location("make_intro_figure", ROOT / "tools" / "make_intro_figure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "memory_fades.png")
    module.main()
    assert (tmp_path / "memory_fades.png").read_bytes() == (ROOT / "book" / "images" / "memory_fades.png").read_bytes()
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert "about 0.36 after 50 steps" in intro and round(0.98**50, 2) == 0.36
    assert "within 20 steps" in intro and 0.8**20 < 0.02


# -- only teaching code on the page -------------------------------------------------------------------------------

PLUMBING = ("lstm_book", "static_slider", "static_grid", "live_plot", ".static(", ".live(", "widgets.", "IPython",
            "%matplotlib")
LIVE = re.compile(r"\blive_plot\(|\.live\(")  # a cell that makes a live picture (SliderPicture.live, or live_plot)
CHECK_CELL = re.compile(r'^check\("[\w-]+", answer\)\s*$', re.M)


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _on_the_page(cell):
    return not {"remove-cell", "remove-input"} & set(cell.metadata.get("tags", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_the_page_shows_teaching_code_only(path):
    cells = _code_cells(path)
    imports, helpers = cells[1], cells[2]  # after the Colab cell: what the reader imports, then the book's plumbing
    assert "from lstm_lite import" in imports.source and _on_the_page(imports)
    assert "from lstm_book" in helpers.source and helpers.metadata.get("tags") == ["remove-cell"]
    for cell in cells:
        if _on_the_page(cell):
            shown = [word for word in PLUMBING if word in cell.source]
            assert not shown, f"{path.name}: a cell on the page shows plumbing {shown}:\n{cell.source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_live_only_cells_are_left_out_of_the_page_and_say_what_they_are(path):
    for cell in _code_cells(path):
        if LIVE.search(cell.source):
            assert cell.metadata.get("tags") == ["remove-cell"], cell.source
            assert cell.source.startswith("# Live (in a running notebook): "), cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_check_cells_keep_their_output_out_of_the_page(path):
    """On the website no kernel runs: a check cell's output would only ever say "run the cell"."""
    checks = [c for c in _code_cells(path) if CHECK_CELL.search(c.source)]
    assert checks
    for cell in checks:
        assert "remove-output" in cell.metadata.get("tags", []) and _on_the_page(cell)


EVAL = re.compile(r"\{eval\}`([^`]+)`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_numbers_in_the_prose_come_from_the_kernel_in_both_renderers(path):
    """A number the prose quotes is an {eval} expression, which myst-nb (website) and jupyterlab-myst (JupyterLab) both
    evaluate; myst-nb's glue renders on the website only. myst-nb runs the cells above a paragraph only when it renders
    a code cell, and never renders one tagged remove-cell: the code cell just before each such paragraph is rendered."""
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells):
        assert "{glue" not in cell.source, f"{path.name}, cell {index}: myst-nb's glue shows nothing in JupyterLab"
        if cell.cell_type != "markdown" or not EVAL.search(cell.source):
            continue
        before = [c for c in cells[:index] if c.cell_type == "code"]
        assert before and "remove-cell" not in before[-1].metadata.get("tags", []), (
            f"{path.name}, cell {index}: the code cell before it is tagged remove-cell, so on the website its "
            "expressions would read variables that are not computed yet; tag it remove-input and remove-output")
        for expression in EVAL.findall(cell.source):
            compile(expression, f"{path.name}, cell {index}", "eval")  # an expression, as both renderers need


def test_the_website_builds_with_inline_execution():
    """{eval} needs myst-nb's inline execution, and an expression (not only a name) to be let through."""
    assert CONFIG["execute"]["execute_notebooks"] == "inline"
    assert re.fullmatch(SPHINX["nb_eval_name_regex"], 'f"{right.min():.3f}"')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_a_reopened_notebook_says_why_its_widgets_are_missing(path):
    """JupyterLab autosaves; reopened, a notebook's widgets show "Error displaying widget: model not found" until it
    runs again. The notebook says so near its top, in a cell the website leaves out."""
    cells = nbformat.read(path, as_version=4).cells
    note = next((c for c in cells[:4] if c.cell_type == "markdown" and "model not found" in c.source), None)
    assert note is not None, f"{path.name}: no note on widgets after reopening near the top"
    assert note.metadata.get("tags") == ["remove-cell"] and "Run All Cells" in note.source


def test_make_lab_runs_as_root_too():
    """Jupyter refuses to start as root without --allow-root (a container, CI): `make lab` passes it there only."""
    import os
    import subprocess

    out = subprocess.run(["make", "-n", "-W", ".venv/.book-deps", "lab"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    line = next(cmd for cmd in out.splitlines() if "jupyter lab notebooks/" in cmd)
    assert ("--allow-root" in line) == (os.geteuid() == 0), line


def test_jupyterlab_myst_is_installed_for_the_installed_jupyterlab():
    """The notebooks' MyST (glossary terms, citations, exercises and solutions) needs jupyterlab-myst in JupyterLab;
    an extension built for another JupyterLab is listed but not loaded ("not compatible")."""
    import subprocess
    import sys

    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, check=True)
    listing = result.stdout + result.stderr
    assert re.search(r"jupyterlab-myst v[\d.]+ .*enabled.*OK", listing), listing
    assert "not compatible" not in listing, listing
