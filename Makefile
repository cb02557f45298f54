# The two commands of the README:
#   make book   installs what a reader needs, builds the book and opens it
#   make test   installs what the tests need and runs every test
# Everything is installed into ./.venv from the pinned requirements files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
BOOK_INDEX := _build/html/index.html

.PHONY: book build open test bench lab clean help

help:
	@echo "make book   build the book and open it in a browser"
	@echo "make test   run every test (unit tests against PyTorch, notebooks, book build)"
	@echo "make bench  time lstm_lite against PyTorch (one thread, float64)"
	@echo "make lab    open the notebooks in JupyterLab, sliders live"
	@echo "make clean  remove the built book"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.book-deps: requirements.txt pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

$(VENV)/.test-deps: requirements-dev.txt $(VENV)/.book-deps
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

build: $(VENV)/.book-deps
	$(BIN)/jupyter-book build . -W -n --keep-going

book: build open

open:
	@echo "The book is at file://$(CURDIR)/$(BOOK_INDEX)"
	@if [ -z "$$CI" ]; then $(PY) -m webbrowser -t "file://$(CURDIR)/$(BOOK_INDEX)" >/dev/null 2>&1 || true; fi

test: $(VENV)/.test-deps
	$(BIN)/pytest
	$(MAKE) build

bench: $(VENV)/.test-deps
	$(PY) benchmarks/bench.py

lab: $(VENV)/.book-deps
	$(PY) -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf _build
