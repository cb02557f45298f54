"""tools/torch_cpu.py: PyTorch's CPU build where its index answers, the default index otherwise, never a slow install.

Nothing here installs anything or leaves the machine: the index is played by a server on 127.0.0.1.
"""

import http.server
import importlib.util
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("torch_cpu", ROOT / "tools" / "torch_cpu.py")
torch_cpu = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(torch_cpu)


def test_the_pin_is_read_from_the_requirements_and_stays_exact(tmp_path):
    pin = torch_cpu.pinned_torch()
    assert pin in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert pin.startswith("torch==") and "+" not in pin  # the pin itself names no build: +cpu satisfies it
    loose = tmp_path / "requirements.txt"
    loose.write_text("pytest==9.2.0\ntorch>=2.13\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must pin torch exactly once"):
        torch_cpu.pinned_torch(loose)


def test_torch_alone_comes_from_the_cpu_index():
    cmd = torch_cpu.install_command("torch==2.13.0", python="python")
    assert cmd[:3] == ["python", "-m", "pip"] and cmd[-1] == "torch==2.13.0"
    assert cmd[cmd.index("--index-url") + 1] == "https://download.pytorch.org/whl/cpu"
    assert "--no-deps" in cmd  # its dependencies come from the default index, with the rest of requirements-dev.txt


@pytest.fixture
def index(tmp_path):
    """A web server on 127.0.0.1 with a page at /torch/, as PyTorch's index has."""
    (tmp_path / "torch").mkdir()
    (tmp_path / "torch" / "index.html").write_text("<a>torch-2.13.0+cpu</a>", encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_index_that_answers_is_taken(index):
    ok, seconds, why = torch_cpu.answers(f"{index}/torch/")
    assert ok and why is None and seconds < torch_cpu.TIMEOUT
    ok, _, why = torch_cpu.answers(f"{index}/nothing/")
    assert not ok and "404" in why  # a page that is not there is no index


def test_a_server_that_never_answers_is_given_up_on_in_time():
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        start = time.perf_counter()
        ok, seconds, why = torch_cpu.answers(f"http://127.0.0.1:{silent.getsockname()[1]}/torch/", timeout=0.5)
    assert not ok and why and time.perf_counter() - start < 1.5 and seconds < 1.5


def test_a_name_that_does_not_resolve_is_no_index():
    ok, seconds, why = torch_cpu.answers("https://no-such-host.invalid/whl/cpu/torch/", timeout=0.5)
    assert not ok and why and seconds < 1.5


def test_the_makefile_asks_before_it_installs_the_test_requirements():
    out = subprocess.run(["make", "-n", "-W", "requirements-dev.txt", ".venv/.test-deps"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    ask = next(i for i, line in enumerate(out) if line.endswith("python tools/torch_cpu.py"))
    install = next(i for i, line in enumerate(out) if line.endswith("pip install --quiet -r requirements-dev.txt"))
    assert ask < install
