"""Citations and glossary terms that read right in a running notebook too.

jupyterlab-myst reads no bibliography and resolves no reference into another file: in JupyterLab a {cite} role shows
as "ⓘ olah2015" and a {term} role as a link to "#" that logs "Cross reference target was not found". So a chapter
writes what its reader in JupyterLab (or Colab) should see, and says in an HTML comment, which every renderer hides,
what it stands for:

    [Olah, 2015]<!-- cite:olah2015 -->          a citation, written as the website shows it
    memory cells<!-- term: memory cell -->      the words, then the glossary entry they stand for

As Sphinx reads a notebook, this extension turns each back into a role, {cite}`olah2015` and
{term}`memory cells <memory cell>`, so the website links to the references and the glossary as before, and an
unknown key or term fails the strict build. The words of a term are the last N words before its comment, N the
number of words of the entry. tests/test_book_config.py checks every marker: the citation's text against the
bibliography, the term's words against its entry.

Where the two readers need other words (an exercise: the notebook's reader types the answer into a cell and runs it;
the website's reader cannot), a chapter writes the notebook's words between two comments and the website's in a third:

    <!-- notebook -->Put the number in `answer` and run the cell.<!-- /notebook --><!-- site: Then open the solution. -->

JupyterLab shows the first and hides the comments; the website drops the first and shows the second.
"""

import json
import re

CITE = re.compile(r"\[([^\[\]\n]+)\]<!-- cite:([\w-]+) -->")
TERM = re.compile(r"<!-- term: ([^<>\n]+?) -->")
WORD = r"[^\s*_`()\[\]<>{}\"]+"
NOTEBOOK_ONLY = re.compile(r"<!-- notebook -->(.*?)<!-- /notebook -->", re.S)
SITE_ONLY = re.compile(r"<!-- site: (.*?) -->", re.S)


def term_words(before, entry):
    """The words of `before` that the term marker after them covers: as many as `entry` has, or None."""
    n = len(entry.split())
    found = re.search(rf"({WORD}(?:[ ]+{WORD}){{{n - 1}}})$", before)
    return found.group(1) if found else None


def markers(markdown):
    """[(kind, shown words, key or entry)] of every marker in `markdown`, in order; shown is None where no words fit."""
    found = [(m.start(), "cite", m.group(1), m.group(2)) for m in CITE.finditer(markdown)]
    found += [(m.start(), "term", term_words(markdown[:m.start()], m.group(1)), m.group(1))
              for m in TERM.finditer(markdown)]
    return [item[1:] for item in sorted(found)]


def to_roles(markdown):
    """`markdown` with every marker turned into its role, and the website's words in place of the notebook's, as the
    website reads it."""
    markdown = SITE_ONLY.sub(lambda m: m.group(1), NOTEBOOK_ONLY.sub("", markdown))
    markdown = CITE.sub(lambda m: f"{{cite}}`{m.group(2)}`", markdown)
    out, last = [], 0
    for m in TERM.finditer(markdown):
        entry = m.group(1)
        words = term_words(markdown[last:m.start()], entry)
        if words is None:
            raise ValueError(f"no words before the term marker {m.group(0)!r}")
        out.append(markdown[last:m.start() - len(words)])
        out.append(f"{{term}}`{words}`" if words == entry else f"{{term}}`{words} <{entry}>`")
        last = m.end()
    return "".join(out) + markdown[last:]


def _rewrite(app, docname, source):
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    notebook = json.loads(source[0])
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = to_roles(text)
    source[0] = json.dumps(notebook)


def setup(app):
    app.connect("source-read", _rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
