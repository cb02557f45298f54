"""How heavy is each page of the built site? Prints HTML + everything the page loads, per page.

    .venv/bin/python tools/page_weight.py [_build/html]

Each page is opened in headless Chromium (the system /usr/bin/chromium, or $CHROMIUM) with a fresh
cache and no network, served from a local HTTP server; every file the page receives is counted
once (scripts, styles, fonts, images, MathJax's lazily loaded parts). Two totals:

* raw: the bytes of the files as they sit on disk;
* transfer: what a reader downloads from a server that gzips its responses (GitHub Pages does),
  estimated as the gzip size of each file (level 6, never more than the raw size).

The widget manager `embed-amd.js` (4.4 MB raw, 1.1 MB gzipped; shared by every page with widgets
and cached after the first) is listed apart and left out of both. tests/test_site.py holds every
page's transfer total under LIMIT_BYTES. (The raw totals of even a text-only page pass 3 MB: the
theme's own fontawesome.js is 1.4 MB and MathJax 1.1 MB.)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

LIMIT_BYTES = 3 * 2**20  # 3 MB per page, the shared widget manager aside
SHARED = ("/embed-amd.js",)  # loaded once for the whole site, not counted per page
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOT_PAGES = {"genindex.html", "search.html", "py-modindex.html"}


def is_shared(url: str) -> bool:
    return url.split("?", 1)[0].endswith(SHARED)


def page_total(sizes: dict[str, int]) -> int:
    """Bytes of a page: every file once, the shared widget manager left out."""
    return sum(n for url, n in sizes.items() if not is_shared(url))


@functools.lru_cache(maxsize=None)
def gzipped_size(path: Path) -> int:
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def transfer_sizes(sizes: dict[str, int], base_url: str, site: Path) -> dict[str, int]:
    """The same files, each at the size a gzipping server sends (url -> bytes)."""
    out = {}
    for url, n in sizes.items():
        path = site / url.removeprefix(base_url).split("#", 1)[0]
        out[url] = gzipped_size(path) if path.is_file() else n
    return out


def pages(site: Path) -> list[str]:
    """The book's pages in a built site (not Sphinx's index/search pages, not the root redirect)."""
    skip_dirs = {"_static", "_sources", "_images", "_downloads"}
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name not in NOT_PAGES
        and not skip_dirs & set(p.relative_to(site).parts[:-1])
        and not any(part.startswith(".") for part in p.relative_to(site).parts)
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(site: Path):
    """Serve `site` on 127.0.0.1 (a free port); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def record_sizes(page, base_url: str) -> dict[str, int]:
    """Abort requests that leave the site and record the body size of every response (url -> bytes)."""
    sizes: dict[str, int] = {}

    def route(r):
        if r.request.url.startswith((base_url, "data:", "blob:")):
            r.continue_()
        else:
            r.abort()

    def finished(request):
        if request.url.startswith(base_url):
            sizes[request.url.split("?", 1)[0]] = request.sizes()["responseBodySize"]

    page.route("**/*", route)
    page.on("requestfinished", finished)
    return sizes


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    site = Path(argv[0]) if argv else ROOT / "_build" / "html"
    names = pages(site)
    if not names:
        print(f"no built site at {site}: run `make build` first", file=sys.stderr)
        return 1
    rows = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name in names:
            context = browser.new_context()
            page = context.new_page()
            sizes = record_sizes(page, base)
            page.goto(base + name, wait_until="networkidle")
            page.wait_for_timeout(500)
            gz = transfer_sizes(sizes, base, site)
            shared = sum(n for url, n in gz.items() if is_shared(url))
            rows.append((name, sizes.get(base + name, 0), page_total(sizes), page_total(gz), len(sizes), shared))
            context.close()
        browser.close()

    def mb(n: int) -> str:
        return f"{n / 2**20:.2f} MB"

    print(f"{'page':36} {'HTML':>9} {'raw total':>10} {'transfer':>9} {'files':>6}   shared embed-amd.js (transfer)")
    for name, html, raw, transfer, count, shared in rows:
        flag = "   OVER THE LIMIT" if transfer > LIMIT_BYTES else ""
        print(f"{name:36} {mb(html):>9} {mb(raw):>10} {mb(transfer):>9} {count:>6}   {mb(shared) if shared else '-'}{flag}")
    print(f"limit: {mb(LIMIT_BYTES)} transfer per page")
    return 1 if any(r[3] > LIMIT_BYTES for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
