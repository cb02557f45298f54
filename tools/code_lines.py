"""Count the lines of code of a Python package, docstrings, comments and blank lines not counted.

    .venv/bin/python tools/code_lines.py lstm_lite      one line per module, and the total

tests/test_layout.py holds lstm_lite to its size with it.
"""

import argparse
import ast
import io
import tokenize
from pathlib import Path

SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


def _docstring_lines(tree):
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def count(path):
    """The number of lines of `path` that hold code (a statement spread over three lines counts three)."""
    source = Path(path).read_text(encoding="utf-8")
    docstrings = _docstring_lines(ast.parse(source))
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in SKIP:
            lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docstrings)
    return len(lines)


def count_tree(folder):
    """{module file name: lines of code} for every .py file in `folder` and below."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): count(p) for p in sorted(folder.rglob("*.py"))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    counts = count_tree(parser.parse_args().folder)
    for name, n in counts.items():
        print(f"{n:5d}  {name}")
    print(f"{sum(counts.values()):5d}  total")


if __name__ == "__main__":
    main()
