"""Build chapter 8's corpus: Python source from the standard library of the Python that runs this script.

    .venv/bin/python tools/code_corpus.py          # writes lstm_book/data/stdlib_code/

The modules are named below, not searched for, so that the corpus is the same on every machine with the same Python:
the 136 plain-ASCII top-level modules of the standard library (3.9 MB), no tests, none of them removed in Python
3.12 or 3.13 (PEP 594), no module that is data rather than code (this, _sysconfigdata); 132 to train on and 4 held
out (never trained on, to measure how well the model reads code it has not seen). Tabs become four spaces; nothing
else is changed. The training text is stored compressed with xz (train.txt.xz, a fifth of its size); the held-out
text, small, as it is. Another Python version has other sources: the manifest records the version and every file's
SHA-256, and tests/test_reading_code.py checks the shipped text against it.

The sources are Python's, under the PSF licence: its text (Python's own LICENSE.txt) is copied beside the corpus.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import platform
import shutil
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lstm_book" / "data" / "stdlib_code"

TRAIN = (
    "__future__", "_aix_support", "_bootsubprocess", "_collections_abc", "_compat_pickle", "_compression",
    "_markupbase", "_osx_support", "_py_abc", "_pydecimal", "_pyio", "_sitebuiltins", "_strptime",
    "_threading_local", "_weakrefset", "abc", "argparse", "ast", "base64", "bdb", "bisect", "bz2", "cProfile",
    "calendar", "cmd", "code", "codecs", "codeop", "colorsys", "compileall", "configparser", "contextlib",
    "contextvars", "copy", "copyreg", "csv", "dataclasses", "datetime", "decimal", "difflib", "dis", "enum",
    "filecmp", "fileinput", "fnmatch", "genericpath", "getpass", "gettext", "glob", "graphlib", "gzip", "hashlib",
    "hmac", "imaplib", "inspect", "io", "ipaddress", "keyword", "linecache", "locale", "lzma", "mailbox",
    "mimetypes", "modulefinder", "netrc", "ntpath", "nturl2path", "numbers", "opcode", "operator", "optparse", "os",
    "pathlib", "pdb", "pickle", "pickletools", "pkgutil", "platform", "plistlib", "poplib", "posixpath", "pprint",
    "profile", "pstats", "pty", "py_compile", "pyclbr", "pydoc", "queue", "quopri", "random", "reprlib",
    "rlcompleter", "sched", "secrets", "selectors", "shelve", "shutil", "signal", "site", "smtplib", "socket",
    "socketserver", "sre_compile", "sre_constants", "sre_parse", "ssl", "stat", "stringprep", "struct", "subprocess",
    "symtable", "sysconfig", "tabnanny", "tarfile", "tempfile", "threading", "token", "tokenize", "trace",
    "traceback", "tracemalloc", "tty", "turtle", "types", "typing", "uuid", "warnings", "weakref", "webbrowser",
    "zipapp", "zipimport",
)
HELD_OUT = ("string", "textwrap", "timeit", "wave")
SEPARATOR = "\n\n"  # between two modules: a blank line more, as between two top-level definitions


def module_text(name: str, stdlib: Path) -> tuple[str, str]:
    """The module's source with tabs as four spaces, and the SHA-256 of the file as it is."""
    raw = (stdlib / f"{name}.py").read_bytes()
    text = raw.decode("ascii")  # raises if a module is not plain ASCII: the list above is chosen so
    return text.replace("\t", "    "), hashlib.sha256(raw).hexdigest()


def build(out: Path = OUT, stdlib: Path | None = None) -> dict:
    stdlib = Path(stdlib or sysconfig.get_paths()["stdlib"])
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"python": platform.python_version(), "separator": SEPARATOR, "modules": {}}
    for split, names in (("train", TRAIN), ("held_out", HELD_OUT)):
        texts = []
        for name in names:
            text, sha = module_text(name, stdlib)
            manifest["modules"][name] = {"split": split, "sha256": sha, "chars": len(text)}
            texts.append(text)
        data = SEPARATOR.join(texts).encode("ascii")
        if split == "train":  # xz, the strongest preset: the same bytes again from the same Python and liblzma
            (out / "train.txt.xz").write_bytes(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))
        else:
            (out / f"{split}.txt").write_bytes(data)
    shutil.copyfile(stdlib / "LICENSE.txt", out / "LICENSE-PSF.txt")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    made = build()
    sizes = {s: sum(m["chars"] for m in made["modules"].values() if m["split"] == s) for s in ("train", "held_out")}
    print(f"Python {made['python']}: {sizes['train']:,} characters to train on, {sizes['held_out']:,} held out -> {OUT}")
