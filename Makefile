# The two commands of the README:
#   make book   installs what a reader needs, builds the book and opens it
#   make test   installs what the tests need and runs every test
# and a quicker tier, make check: the lint and the unit tests, without the book.
# Everything is installed into ./.venv from the pinned requirements files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
BOOK_INDEX := _build/html/index.html

.PHONY: book build open test check bench evidence train-code lab clean help

help:
	@echo "make book   build the book and open it in a browser"
	@echo "make test   run every test (unit tests against PyTorch, notebooks, book build)"
	@echo "make check  lint and the unit tests of lstm_lite and of every chapter (under 2 minutes; no book, no browser)"
	@echo "make bench  time lstm_lite against PyTorch (one thread, float64)"
	@echo "make evidence  re-run the long-memory grid of chapter 7 (a few minutes)"
	@echo "make train-code  re-train chapter 8's character LSTM on the standard library (about 13 minutes)"
	@echo "make lab    open the notebooks in JupyterLab, sliders live"
	@echo "make clean  remove the built book"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.book-deps: requirements.txt pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# torch: PyTorch's CPU build from PyTorch's own index where that answers within 3 s (tools/torch_cpu.py; on Linux
# PyPI's wheel for the pin is the CUDA build, gigabytes), else the pin as the default index has it.
$(VENV)/.test-deps: requirements-dev.txt tools/torch_cpu.py $(VENV)/.book-deps
	$(PY) tools/torch_cpu.py
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# From clean every time: Sphinx re-reads (and so re-runs) only the notebooks that changed, so a change to
# lstm_lite alone would leave stale pages and hide their warnings.
build: $(VENV)/.book-deps
	$(BIN)/jupyter-book clean . >/dev/null
	$(BIN)/jupyter-book build . -W -n --keep-going

book: build open

open:
	@echo "The book is at file://$(CURDIR)/$(BOOK_INDEX)"
	@if [ -z "$$CI" ]; then $(PY) -m webbrowser -t "file://$(CURDIR)/$(BOOK_INDEX)" >/dev/null 2>&1 || true; fi

# The browser test (tests/test_site.py) drives the system Chromium; on a fresh machine (root, as in
# CI) it is installed here. It fails loudly rather than skipping the test.
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@echo "Chromium is missing: installing it with apt-get (needs root) ..."
	apt-get update && apt-get install -y chromium || { echo "ERROR: could not install Chromium. Run 'sudo apt-get install chromium' or set CHROMIUM=/path/to/chromium." >&2; exit 1; }
	@test -x $(CHROMIUM) || { echo "ERROR: no Chromium at $(CHROMIUM) after apt-get; set CHROMIUM=/path/to/chromium." >&2; exit 1; }

# Build first: the browser test reads _build/html.
test: $(VENV)/.test-deps $(CHROMIUM)
	$(BIN)/ruff check .
	$(MAKE) build
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# The quick tier: lint, the engine's tests and every chapter's unit tests. Left out (make test runs them): the book
# build, the notebooks (nbval, and every exercise's solution), the browser, the cross-machine runs, Binder's fresh
# environment, JupyterLab, and the six training runs of chapters 7 and 8 (marker `training`: about 90 s on two
# cores, more than all the rest, which takes 65-80 s).
CHECK_SKIPS := not site and not machines and not binder and not lab and not notebook and not training
check: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/pytest tests -m "$(CHECK_SKIPS)"

bench: $(VENV)/.test-deps $(CHROMIUM)
	$(PY) benchmarks/bench.py
	CHROMIUM=$(CHROMIUM) $(PY) benchmarks/lab_latency.py
	test -f _build/html/notebooks/08_reading_code.html || $(MAKE) build
	CHROMIUM=$(CHROMIUM) $(PY) benchmarks/browser_latency.py

# The long-memory grid of chapter 7 (a few minutes): writes notebooks/data/long_memory.json.
evidence: $(VENV)/.book-deps
	$(PY) tools/long_memory_evidence.py

# Chapter 8's model: re-trains the character LSTM and writes lstm_book/data/code_lstm.npz (rebuild the corpus
# first with tools/code_corpus.py only if the Python version changes what the standard library holds).
train-code: $(VENV)/.book-deps
	$(PY) tools/train_code_model.py

# JupyterLab and jupyterlab-myst (which renders the chapters' MyST: glossary terms, citations, exercises) come
# with requirements.txt, as on Binder. Jupyter refuses to run as root unless told (a container, CI).
lab: $(VENV)/.book-deps
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

clean:
	rm -rf _build
