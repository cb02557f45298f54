"""True on every reader's machine: the notebooks and the stored experiment under other numpy kernels.

numpy picks its SIMD kernels by the CPU it runs on, so on a reader's machine the last bits of tanh, exp and sums
differ from ours, and chaotic training (chapter 7) ends elsewhere. tools/numpy_machines.py reproduces three such
machines on this one with NPY_DISABLE_CPU_FEATURES. The rest of `make test` runs under the machine's own kernels;
this file runs, in processes of their own:

- for each other configuration: every notebook under nbval (every hidden assert behind a sentence of the book must
  hold), tests/test_long_memory.py (the stored grid still comes out as recorded, within its measured spread) and every
  other unit test (none may hinge on the last bits either). Left out: the browser, Binder and exercise tests, which
  compare against the book as built, and this file;
- for every configuration, the one chapter that trains (07) once more with its starting weights nudged by one part
  in 10^12, a perturbation that keeps the seed.

Two jobs run at a time (the machine has two cores), each with one BLAS thread, as a reader's small machine would.
"""

import importlib.util
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Not re-run under other kernels: the browser, a second install, the notebooks' solutions, this file, JupyterLab, and
# two tests with no arithmetic to vary (the chapter skeleton's copy of the book, PyTorch's CPU index probe).
NOT_HERE = {"test_site.py", "test_binder_env.py", "test_exercises.py", "test_machines.py", "test_jupyterlab.py",
            "test_chapter_skeleton.py", "test_torch_cpu.py"}
UNIT_TESTS = sorted(p for p in (ROOT / "tests").glob("test_*.py") if p.name not in NOT_HERE)
CHAOTIC = ROOT / "notebooks" / "07_long_memory.ipynb"
NUDGE = 1e-12
# Put before the chapter's imports: every training run of the chapter starts from weights nudged by NUDGE.
NUDGE_CELL = (f"import functools, lstm_book.long_memory\n"
              f"lstm_book.long_memory.train_until_solved = functools.partial(lstm_book.long_memory.train_until_solved, nudge={NUDGE})")

_spec = importlib.util.spec_from_file_location("numpy_machines", ROOT / "tools" / "numpy_machines.py")
numpy_machines = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(numpy_machines)
CONFIGS = numpy_machines.configurations()

pytestmark = pytest.mark.machines


def _nudged_copy(folder):
    """Chapter 7 with NUDGE_CELL as its first cell, in `folder`, beside a link to the chapter's data."""
    nb = json.loads(CHAOTIC.read_text())
    nb["cells"].insert(0, {"cell_type": "code", "id": "nudge", "metadata": {}, "execution_count": None,
                           "outputs": [], "source": NUDGE_CELL})
    (folder / "data").symlink_to(CHAOTIC.parent / "data")
    path = folder / CHAOTIC.name
    path.write_text(json.dumps(nb))
    return path


def _pytest(paths, disabled, cwd):
    env = {**numpy_machines.environment(disabled), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
           "-o", "addopts=", "--rootdir", str(cwd), *map(str, paths)]
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every job, two at a time: name -> (exit code, the end of its output)."""
    jobs = {}
    for name, disabled in CONFIGS[1:]:
        jobs[f"{name}: notebooks and unit tests"] = ([*NOTEBOOKS, *UNIT_TESTS], disabled, ROOT)
    for name, disabled in CONFIGS:
        folder = tmp_path_factory.mktemp(f"nudged-{name.replace(' ', '-')}")
        jobs[f"{name}: chapter 7, weights nudged"] = ([_nudged_copy(folder)], disabled, folder)
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        futures = {key: pool.submit(_pytest, *job) for key, job in jobs.items()}
        return {key: f.result() for key, f in futures.items()}


def test_the_configurations_follow_what_numpy_finds_on_this_machine():
    found = numpy_machines.dispatch_targets_found()
    # none disabled; all but the oldest target disabled; all disabled (fewer where they coincide)
    assert CONFIGS[0] == ("none", "") and len(CONFIGS) == min(len(found), 2) + 1, (found, CONFIGS)
    if len(found) >= 2:
        assert CONFIGS[1][1].split() == found[1:] and CONFIGS[-1][1].split() == found


@pytest.mark.parametrize("key", [f"{n}: notebooks and unit tests" for n, _ in CONFIGS[1:]]
                         + [f"{n}: chapter 7, weights nudged" for n, _ in CONFIGS])
def test_every_claim_holds_under(key, results):
    code, output = results[key]
    disabled = dict(CONFIGS)[key.split(":")[0]]
    assert code == 0, f"{key} (NPY_DISABLE_CPU_FEATURES={disabled!r}) failed:\n{output[-8000:]}"
    # pytest -v names a notebook cell "notebooks/07_long_memory::ipynb::Cell 3" and a test "tests/x.py::test_y"
    ran = {line.split(" PASSED")[0].split("::Cell")[0].replace("::ipynb", ".ipynb").split("::")[0].rsplit("/", 1)[-1]
           for line in output.splitlines() if " PASSED" in line}
    expected = {CHAOTIC.name} if "nudged" in key else {p.name for p in NOTEBOOKS + UNIT_TESTS}
    assert ran == expected, f"{key}: expected every cell of {sorted(expected)} to run and pass, got {sorted(ran)}"
