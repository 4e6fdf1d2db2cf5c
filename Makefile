# Two commands matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-dev browser ocr lint bench clean messages

demo: install
	$(BIN)/kartoteka demo

test: install-dev browser ocr
	$(BIN)/ruff check kartoteka tests bench
	$(BIN)/python -m pytest

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[all,dev]'
	touch $@

# Browser tests drive Debian's Chromium; install it (and an emoji font, so
# flags show in screenshots) when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi emoji || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && \
	  apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji; }

# Scans and image-only PDF pages are read by Tesseract (with English and
# Russian); bench/documents.py compares against poppler's pdftotext.
ocr:
	@command -v tesseract >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && \
	  tesseract --list-langs 2>/dev/null | grep -qx rus || { \
	  echo "installing Debian's tesseract-ocr (eng, rus) and poppler-utils"; \
	  apt-get update -qq && \
	  apt-get install -y -qq tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus poppler-utils; }

lint: install-dev
	$(BIN)/ruff check kartoteka tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/search.py --n 100000

# The interface's strings: collect every marked string from the code and the
# templates into messages.pot (generated, not kept in git), then add the new ones
# (empty) to each language's .po and mark changed ones fuzzy.  Translate those,
# then run the i18n tests.
I18N := kartoteka/i18n
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Message --no-location --sort-output \
	  --no-wrap --project kartoteka -o $(I18N)/messages.pot .
	$(BIN)/pybabel update -i $(I18N)/messages.pot -d $(I18N)/locales \
	  --no-wrap --ignore-obsolete --ignore-pot-creation-date --no-fuzzy-matching

clean:
	rm -rf $(VENV) kartoteka-demo.db kartoteka-demo.db-wal kartoteka-demo.db-shm
