"""Chapter 8's reader on the website: the page runs the shipped model in the reader's browser, with no Python.

Two steps, both for the HTML builder:

1. When the builder starts (``builder-inited``), the model is written into the site as a script,
   ``_static/reading_code_model.js`` (lstm_book.reading_code.browser_model_js: the weights as base64 float16, the
   chosen memory cells, their colour scales and colours). It is a script that the page loads with ``<script src>``,
   not data fetched at run time: a fetch fails when the site is opened from disk (file://). It is written before the
   pages, so that Sphinx can stamp its checksum on the page's link to it.
2. A page whose body holds the reader's place (lstm_book.reading_code.browser_reader, a hidden ``<div>``) loads
   that script and ``browser_reader.js`` (book/_static_site), which draws the box there; no other page loads them.

Registered in ``_config.yml`` under ``sphinx: local_extensions:``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _write_model(app: Any) -> None:
    if app.builder.format != "html":
        return
    from lstm_book.reading_code import BROWSER_MODEL_JS, browser_model_js

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / BROWSER_MODEL_JS).write_text(browser_model_js(), encoding="ascii")


def _scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    from lstm_book.reading_code import BROWSER_MODEL_JS, BROWSER_READER_CLASS

    if f'class="{BROWSER_READER_CLASS}"' in context.get("body", ""):
        app.add_js_file(BROWSER_MODEL_JS)  # on this page only (Sphinx >= 3.5), in this order
        app.add_js_file("browser_reader.js")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _write_model)
    app.connect("html-page-context", _scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
