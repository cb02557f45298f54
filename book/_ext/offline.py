"""Keep the website self-contained: every page must load and work with no network.

Six fixes, all on Sphinx's ``html-page-context`` event:

1. Jupyter Book 1 registers sphinx-thebe's inline configuration script twice, and the second copy
   throws ``Identifier 'THEBE_JS_URL' has already been declared`` in the browser console on every
   page. We drop inline scripts whose body repeats an earlier one.
2. Some notebook outputs pull stylesheets or scripts from a CDN (matplotlib's ``to_jshtml()`` asks for
   Font Awesome 4). The theme already ships Font Awesome, so we strip every ``<link>`` and
   ``<script>`` that points outside the site from the page body.
3. matplotlib's ``to_jshtml()`` player shows its frames in an ``<img>`` with no alt text and steps them with a
   range input with no label: we add both.
4. With no default colour mode the theme logs ``Got invalid theme mode`` as a console error on a
   reader's first visit; we give the page template ``default_mode = "auto"``.
5. sphinxcontrib-bibtex's reference list holds entries with the deprecated role ``doc-biblioentry``, so a
   screen reader announces a list with no items: we make them list items.
6. myst-nb's folded code (cells tagged ``hide-input`` or ``hide-cell``) opens from a ``<summary>`` whose
   ``aria-label`` says "Toggle hidden content" while it reads "Show code cell source", so a screen reader and a
   voice-control user hear another name than the one shown: we drop the label, and the visible words name it.

Registered in ``_config.yml`` under ``sphinx: local_extensions:``. After editing this file run
``jupyter-book clean .`` (Sphinx does not rewrite unchanged pages).
"""

from __future__ import annotations

import re
from typing import Any

# A <link ...> or <script ...></script> whose href/src starts with http(s):// or //.
_REMOTE = r"""(?:https?:)?//[^"'\s>]+"""
_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']""" + _REMOTE + r"""["'][^>]*>\s*""", re.I)
_REMOTE_SCRIPT = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']""" + _REMOTE + r"""["'][^>]*>\s*</script>\s*""", re.I
)


# matplotlib's to_jshtml() player shows its frames in an <img> with no alt text.
_ANIM_IMG = re.compile(r"""<img id="(_anim_img[0-9a-f]+)"((?: data-[\w-]+="[^"]*")*)>""")
_ANIM_ALT = "One frame of an animation; the player below plays it or steps through its frames."


def add_animation_alt(html: str) -> str:
    """Give the frame image of every ``to_jshtml()`` player an alt text, and its frame slider a name."""
    html = _ANIM_IMG.sub(lambda m: f'<img id="{m.group(1)}"{m.group(2)} alt="{_ANIM_ALT}">', html)
    return _ANIM_SLIDER.sub(r'\1 aria-label="frame of the animation"', html)


# matplotlib's player also has a frame slider, <input type="range" class="anim-slider">, with no label.
_ANIM_SLIDER = re.compile(r"""(<input id="_anim_slider[0-9a-f]+" type="range")""")

# sphinxcontrib-bibtex marks each entry of its role="list" with role="doc-biblioentry", a deprecated role that is
# no list item, so a screen reader is told of a list with no items (axe: aria-required-children, critical).
_BIBLIOENTRY = re.compile(r"""(<div class="citation" id="[^"]+") role="doc-biblioentry">""")


def fix_bibliography_roles(html: str) -> str:
    """Make every entry of a bibliography a list item of its list."""
    return _BIBLIOENTRY.sub(r'\1 role="listitem">', html)


# myst-nb's folded code: <summary aria-label="Toggle hidden content"> over "Show code cell source" (axe:
# label-content-name-mismatch, serious). Its visible title names it once the label is gone.
_FOLDED_CODE_LABEL = re.compile(r"""(<details class="[^"]*\bhide\b[^"]*">\s*<summary) aria-label="Toggle hidden content">""")


def name_folded_code_by_its_title(html: str) -> str:
    """Let every folded code cell's summary be named by its visible title ("Show code cell source")."""
    return _FOLDED_CODE_LABEL.sub(r"\1>", html)


def strip_remote_assets(html: str) -> str:
    """Return ``html`` without ``<link>``/``<script>`` tags that load from another site."""
    return _REMOTE_SCRIPT.sub("", _REMOTE_LINK.sub("", html))


def _drop_duplicate_inline_scripts(context: dict[str, Any]) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[str] = set()
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if getattr(script, "filename", None) in (None, "") and body:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    # In place: myst-nb appends the widget scripts to this same list later in the event.
    scripts[:] = kept


def on_page_context(app, pagename, templatename, context, doctree) -> None:
    # Without a default colour mode the theme logs "Got invalid theme mode" on a first visit.
    context.setdefault("default_mode", "auto")
    _drop_duplicate_inline_scripts(context)
    if "body" in context:
        body = add_animation_alt(strip_remote_assets(context["body"]))
        context["body"] = name_folded_code_by_its_title(fix_bibliography_roles(body))


def setup(app):
    # Priority < 500 so that we run before myst-nb adds the per-page widget scripts.
    app.connect("html-page-context", on_page_context, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
