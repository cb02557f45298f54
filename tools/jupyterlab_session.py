"""A JupyterLab on 127.0.0.1 serving a copy of the chapters, and a chapter run in it as a reader runs it.

Used by tests/test_jupyterlab.py (what a running notebook shows) and benchmarks/lab_latency.py (how fast its live
pictures follow the keyboard). `make lab` starts the same JupyterLab for a reader.

    with jupyterlab(folder) as base:                       # copies notebooks/ into folder, starts jupyter lab
        page = browser.new_page(...)
        run_all(page, base, "03_rnn.ipynb")                # opens it and runs every cell from the Run menu
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "lstms-by-hand-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(folder):
    """Copy the chapters into `folder` and serve them; yields the base URL. Raises RuntimeError with the server's
    log if it exits or does not answer within a minute."""
    folder = Path(folder)
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port = _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
           f"--ServerApp.root_dir={folder / 'notebooks'}", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / "config"), "JUPYTER_RUNTIME_DIR": str(folder / "runtime")}
    # JupyterLab 4 draws only the cells in view ("windowing"); a reader scrolls, a test reads the whole notebook
    settings = folder / "config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = folder / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)  # and no news fetched from the network, no pop-up asking
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    log_path = folder / "lab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                if server.poll() is not None:
                    raise RuntimeError(f"jupyter lab exited:\n{log_path.read_text()[-3000:]}")
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"jupyter lab did not answer:\n{log_path.read_text()[-3000:]}")
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def run_all(page, base, name, timeout_s=600):
    """Open chapter `name` in `page` and run every cell from the Run menu; return when the last cell has run."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{base}/lab/tree/{name}?token={TOKEN}&reset", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # the kernel has started when the status bar says so ("Python 3 (ipykernel) | Idle")
    page.wait_for_function("() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')",
                           timeout=120_000)
    for _ in range(3):  # a click that lands while JupyterLab is still settling does nothing: try again
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            page.wait_for_function("""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                                       .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""", timeout=20_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    # every code cell has run when the last one shows an execution count
    page.wait_for_function(
        """() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                   return prompts.length && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }""",
        timeout=timeout_s * 1000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.wait_for_timeout(1000)  # the last Markdown cells' inline expressions come back from the kernel
