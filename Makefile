# The two commands of the README: `make book` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYODIDE := _build/pyodide

.PHONY: book book-offline pdf test check bench serve clean torch torch-cpu prose

book: $(STAMP)
	$(BIN)/jupyter-book build book/ --warningiserror --nitpick --keep-going
	@echo "The book is in _build/html/index.html; preview it with: make serve"

# The same book with Pyodide in its site, so that its live code runs with no network (needs npm).
book-offline: $(STAMP) $(PYODIDE)/pyodide-lock.json
	CNNCOUNT_PYODIDE=$(PYODIDE) $(BIN)/jupyter-book build book/ --warningiserror --nitpick --keep-going
	@echo "The book, Pyodide included, is in _build/html/index.html; preview it with: make serve"

$(PYODIDE)/pyodide-lock.json: tools/pyodide_offline.py $(STAMP)
	$(BIN)/python tools/pyodide_offline.py $(PYODIDE)

# The whole book as one PDF, _build/pdf/cnncount.pdf: the single-page build, executed from the cache
# that `make book` fills, printed by headless Chromium ($CNNCOUNT_CHROMIUM, else /usr/bin/chromium).
pdf: $(STAMP)
	$(BIN)/python -m tools.print_pdf

test: $(STAMP)
	$(BIN)/python -m pytest

# The fast loop: unit tests, doctests, ruff and mypy; every test marked slow (the book's build, the
# wheel and its venv, the browser, the notebooks, PyTorch, fuzzing) is left to `make test`.
check: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_book.py
	$(BIN)/python benchmarks/bench_roofline.py

# Optional: PyTorch and torchvision for the cross-check tests, which are skipped without them, and
# timm, whose models the PyTorch reader's tests read. torchvision's wheel needs the torch build it
# was made with: 2.14.1 with 0.29.1 (x86_64; both run on the CPU).
TORCH := torch==2.14.1
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
torch: $(STAMP)
	$(BIN)/python -m pip install --quiet $(TORCH) torchvision==0.29.1 timm==1.0.31

# PyTorch's CPU build alone, from PyTorch's own index (no CUDA libraries): the publishing workflow
# installs it before `make book`, so that the time chapter measures the machine that builds it.
torch-cpu: $(STAMP)
	$(BIN)/python -m pip install --quiet $(TORCH) --index-url $(TORCH_CPU_INDEX)

# The prose of the built book, chapter by chapter: words, sentences, their mean length, those over
# 40 words. The tests hold each chapter to none over 40 and a mean of at most 20.
prose: $(STAMP)
	$(BIN)/python -m tests.prose_stats _build/html

serve:
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/html 8000

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test,book]'
	$(BIN)/python -m compileall -q cnncount
	touch $(STAMP)

clean:
	rm -rf $(VENV) _build
