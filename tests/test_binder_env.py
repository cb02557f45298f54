"""The Binder environment runs every notebook.

Binder (repo2docker) builds from the repository root: `runtime.txt` picks the Python, then it runs
    pip install -r requirements.txt      (which holds `-e .[book]`, the book's code)
    pip install .                        (repo2docker adds this because pyproject.toml exists)
This test does the same in a fresh virtualenv made with exactly that Python, from a copy of the
repository (as Binder sees a fresh clone), and runs every notebook in it with nbclient. It uses pip's
cache, so after the first run it takes well under a minute. It never skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# What a fresh clone does not have.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "_build", "artifacts", "build", "*.egg-info", ".pytest_cache", ".hypothesis",
    "__pycache__", ".ipynb_checkpoints",
)

pytestmark = pytest.mark.binder

RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
print("ok", path)
"""


def _runtime_python() -> str:
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime.startswith("python-"), f"runtime.txt should read python-X.Y, not {runtime!r}"
    exe = shutil.which("python" + runtime.removeprefix("python-"))
    if exe is None:
        pytest.fail(f"runtime.txt asks for {runtime} but there is no python{runtime[7:]} on PATH")
    return exe


def _run(cmd, cwd, timeout=900):
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND")}
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """(python of the fresh venv, the repository copy it was installed from)."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    shutil.copytree(ROOT, repo, ignore=NOT_IN_A_CLONE)
    venv = base / "venv"
    _run([_runtime_python(), "-m", "venv", str(venv)], cwd=base)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], cwd=repo)
    _run([python, "-m", "pip", "install", "--quiet", "."], cwd=repo)
    return python, repo


def test_binder_env_matches_runtime(binder_env):
    python, _ = binder_env
    out = _run([python, "-c", "import sys; print('python-%d.%d' % sys.version_info[:2])"], cwd=ROOT).stdout
    assert out.strip() == (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    _run([python, "-m", "pip", "check"], cwd=ROOT)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks in notebooks/"


def test_repo2docker_installs_what_the_book_needs(tmp_path):
    """The Dockerfile Binder would build: Python from runtime.txt, then requirements.txt and the package, in order."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=NOT_IN_A_CLONE)
    r2d = Path(sys.executable).parent / "repo2docker"
    out = _run([r2d, "--no-build", "--debug", str(repo)], cwd=tmp_path, timeout=300)
    dockerfile = out.stdout + out.stderr
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")
    assert f"Building conda environment for python={runtime}" in dockerfile
    steps = [
        "COPY --chown=0:0 src/ ${REPO_DIR}/",  # the whole repository first: requirements.txt holds `-e .`
        '${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "requirements.txt"',
        "${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir .",
    ]
    where = [dockerfile.find(step) for step in steps]
    assert all(i >= 0 for i in where), f"repo2docker's Dockerfile lacks {[s for s, i in zip(steps, where) if i < 0]}"
    assert where == sorted(where), "repo2docker would install requirements.txt before copying the package"


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_in_binder_env(binder_env, name):
    python, repo = binder_env
    notebooks = repo / "notebooks"
    _run([python, "-c", RUN_NOTEBOOK, str(notebooks / name), str(notebooks)], cwd=notebooks, timeout=600)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
