"""Number figures per chapter: Fig. 5.1, 5.2, ... in chapter 5, instead of one count across the book.

Sphinx numbers figures per section only under a numbered toctree, which would also number the chapters' titles
("5. 5. The LSTM's gates") and take the numbers out of the notebooks, where a reader of a running notebook sees
them. Instead, after Sphinx has assigned its numbers (``env-get-updated``), each figure of ``notebooks/NN_*`` gets
(NN, its place in the chapter); figures outside the chapters (the intro's) get no number.

Registered in ``_config.yml`` under ``sphinx: local_extensions:``.
"""

from __future__ import annotations

import re
from typing import Any

_CHAPTER = re.compile(r"notebooks/(\d+)_")


def chapter_numbers(toc_fignumbers: dict[str, dict[str, dict[str, tuple[int, ...]]]]) -> dict:
    """{docname: {figtype: {id: number}}} -> the same with chapter numbers, in each page's own order."""
    renumbered = {}
    for docname, by_type in toc_fignumbers.items():
        match = _CHAPTER.match(docname)
        if not match:
            continue  # not a chapter: no number
        chapter = int(match.group(1))
        renumbered[docname] = {
            figtype: {fig_id: (chapter, k) for k, fig_id in enumerate(sorted(numbers, key=numbers.get), start=1)}
            for figtype, numbers in by_type.items()
        }
    return renumbered


def _renumber(app: Any, env: Any) -> list[str]:
    env.toc_fignumbers = chapter_numbers(env.toc_fignumbers)
    return sorted(env.found_docs)  # every page shows (or loses) numbers: write them all


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-get-updated", _renumber, priority=900)  # after Sphinx's own numbering (priority 500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
