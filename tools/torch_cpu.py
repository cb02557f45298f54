"""PyTorch's CPU build for the tests, where PyTorch's own wheel index can be reached; else nothing.

On Linux, the wheel that PyPI gives for `torch==2.13.0` (the pin in requirements-dev.txt) is the CUDA build, which
pulls NVIDIA's libraries: gigabytes. PyTorch's CPU index, https://download.pytorch.org/whl/cpu, serves the same
version built for the CPU alone, `2.13.0+cpu` (192 MB for Linux x86-64 and Python 3.11), which satisfies the pin. So `make .venv/.test-deps`
runs this script first:

1. it asks the index for its page of torch wheels, giving up after TIMEOUT (3 s) whatever hangs (a name that does
   not resolve, a connection that never opens, a server that never answers), so where the index cannot be reached
   the install is at most that much slower;
2. if the index answered, it installs the pin from there with `--no-deps`; the `pip install -r requirements-dev.txt`
   that follows finds torch installed and takes its dependencies from the default index, as for every other package;
3. if not (or if pip cannot install it from there, e.g. no wheel for this machine), it says so and does nothing more: pip then takes
   the pin from the default index.

Only Linux needs it: PyPI's torch wheels for macOS and Windows are CPU builds already. The pin is read from
requirements-dev.txt, so it is written in one place.

    python tools/torch_cpu.py           install the pinned torch from the CPU index, if it answers
    python tools/torch_cpu.py --probe   only say whether the index answers, and how fast
"""

import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

INDEX = "https://download.pytorch.org/whl/cpu"
TIMEOUT = 3.0  # seconds
REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements-dev.txt"


def pinned_torch(requirements=REQUIREMENTS):
    """The exact pin of torch in the requirements file, e.g. "torch==2.13.0"; ValueError if there is none."""
    pins = re.findall(r"^torch==[\w.+!-]+$", Path(requirements).read_text(encoding="utf-8"), re.M)
    if len(pins) != 1:
        raise ValueError(f"{requirements} must pin torch exactly once (torch==X.Y.Z), found {pins or 'no pin'}")
    return pins[0]


def answers(url, timeout=TIMEOUT):
    """(True if `url` answered with a page, the seconds it took, what went wrong or None), within `timeout`.

    The request runs in a thread of its own, so that a name lookup that hangs (urllib's own timeout does not cover
    it) is given up on too."""
    outcome = {}

    def ask():
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # the status line; the page is not read
                outcome["ok"] = 200 <= response.status < 300
                outcome["why"] = None if outcome["ok"] else f"HTTP {response.status}"
        except Exception as err:  # any failure means: not reachable from here
            outcome["ok"], outcome["why"] = False, f"{type(err).__name__}: {err}"

    start = time.perf_counter()
    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(timeout)
    seconds = time.perf_counter() - start
    if "ok" not in outcome:
        return False, seconds, f"no answer within {timeout:g} s"
    return outcome["ok"], seconds, outcome["why"]


def install_command(pin, python=sys.executable, index=INDEX):
    """The pip command that installs `pin` alone from the CPU index (its dependencies come later, from the default
    index, with the rest of requirements-dev.txt)."""
    return [python, "-m", "pip", "install", "--quiet", "--no-deps", "--index-url", index, pin]


def main(argv):
    pin = pinned_torch()
    if "--probe" not in argv and not sys.platform.startswith("linux"):
        print(f"torch: {pin} from the default index (on {sys.platform} it is the CPU build)")
        return 0
    ok, seconds, why = answers(f"{INDEX}/torch/")
    if not ok:
        print(f"torch: PyTorch's CPU index did not answer ({why}; {seconds:.2f} s): {pin} from the default index")
        return 0 if "--probe" not in argv else 1
    print(f"torch: PyTorch's CPU index answered in {seconds:.2f} s: {pin} (the CPU build) from {INDEX}")
    if "--probe" in argv:
        return 0
    if subprocess.run(install_command(pin)).returncode != 0:
        print(f"torch: pip could not install {pin} from {INDEX} (its message is above): from the default index")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
