"""Three "machines" on one: numpy's SIMD kernels switched off at run time with NPY_DISABLE_CPU_FEATURES.

numpy picks its kernels for tanh, exp, sums ... by the CPU features it finds, so the last bits of a result differ
from one machine to another. Switching features off for one process reproduces that on a single machine:

    none            every kernel this CPU supports (what a reader on the same CPU gets)
    newest off      only the oldest dispatch target above numpy's baseline is kept (on an AVX-512 machine:
                    NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL", an AVX2 machine's kernels)
    baseline only   every dispatch target above the baseline off (NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 ...")

The features are read in a fresh process with the variable unset, so the list is the machine's own even when the
caller itself runs under one of the configurations. BLAS kernels differ between machines too (macOS wheels use
Accelerate, not OpenBLAS), but OPENBLAS_CORETYPE, which would pick OpenBLAS's kernels, is never set or changed here.

    python tools/numpy_machines.py      prints the configurations of this machine
"""

import json
import os
import subprocess
import sys

_PROBE = (
    "import json; from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f;"
    "print(json.dumps([t for t in d if f.get(t)]))"
)


def dispatch_targets_found(python=sys.executable):
    """The dispatch targets above the baseline that this CPU has, oldest first (e.g. ['X86_V3', 'X86_V4', ...])."""
    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    out = subprocess.run([python, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def configurations(python=sys.executable):
    """[(name, value of NPY_DISABLE_CPU_FEATURES)], distinct, starting with ("none", "")."""
    found = dispatch_targets_found(python)
    configs = [("none", ""), ("newest off", " ".join(found[1:])), ("baseline only", " ".join(found))]
    distinct, seen = [], set()
    for name, disabled in configs:
        if disabled not in seen:
            seen.add(disabled)
            distinct.append((name, disabled))
    return distinct


def environment(disabled):
    """os.environ with NPY_DISABLE_CPU_FEATURES set to `disabled` (an empty value disables nothing)."""
    return {**os.environ, "NPY_DISABLE_CPU_FEATURES": disabled}


if __name__ == "__main__":
    for name, disabled in configurations():
        print(f"{name:14s} NPY_DISABLE_CPU_FEATURES={disabled!r}")
