"""Make every notebook's first cell install the package from the repository named in _config.yml.

The repository URL is set in ONE place, `repository.url` in _config.yml (the site's repository,
issue and launch buttons read it there). The first code cell of each notebook also names it, in the
line that installs the book's code on Colab:

    %pip install --quiet "lstms-by-hand @ git+https://github.com/OWNER/REPO"

    .venv/bin/python tools/sync_repo_url.py           rewrite the notebooks that disagree
    .venv/bin/python tools/sync_repo_url.py --check   only list them (exit status 1 if any)

tests/test_book_config.py fails while any notebook disagrees.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
# The URL after "lstms-by-hand @ git+" up to the closing quote (an optional @ref stays part of the URL).
INSTALL_URL = re.compile(r"""(lstms-by-hand\s*@\s*git\+)([^"'\s]+)""")


def repository_url(config: Path = ROOT / "_config.yml") -> str:
    """The one repository URL, from `repository.url` in _config.yml (no trailing slash)."""
    url = yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]["url"]
    return url.rstrip("/")


def first_code_cell(nb):
    return next((cell for cell in nb.cells if cell.cell_type == "code"), None)


def check(path: Path, url: str) -> str | None:
    """None if the notebook's first code cell installs from `url`; otherwise what is wrong."""
    nb = nbformat.read(path, as_version=4)
    cell = first_code_cell(nb)
    if cell is None:
        return "has no code cell"
    found = INSTALL_URL.findall(cell.source)
    if not found:
        return 'first code cell has no `lstms-by-hand @ git+URL` install line'
    wrong = sorted({u for _, u in found if u != url})
    return f"first code cell installs from {', '.join(wrong)}" if wrong else None


def sync(path: Path, url: str) -> bool:
    """Rewrite the URL in the notebook's first code cell; True if the file changed."""
    nb = nbformat.read(path, as_version=4)
    cell = first_code_cell(nb)
    if cell is None:
        return False
    new = INSTALL_URL.sub(lambda m: m.group(1) + url, cell.source)
    if new == cell.source:
        return False
    cell.source = new
    nbformat.write(nb, path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)
    url = repository_url()
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.check:
        problems = [(p, check(p, url)) for p in notebooks]
        problems = [(p, msg) for p, msg in problems if msg]
        for p, msg in problems:
            print(f"{p.relative_to(ROOT)}: {msg} (expected {url})")
        return 1 if problems else 0
    for p in notebooks:
        if sync(p, url):
            print(f"updated {p.relative_to(ROOT)}")
        elif (msg := check(p, url)) is not None:
            print(f"{p.relative_to(ROOT)}: {msg}: fix it by hand", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
