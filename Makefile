# The two commands of the README: `make serve` and `make test`. Both set up everything first.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
CROSSCHECK_VENV := .venv-crosscheck
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test crosscheck catalogs system-deps clean

# Every save rebuilds what it changed: glossgen rewrites only the Markdown an edit changes, and
# --dirty has MkDocs render only those pages; glossgen keeps the search index and defers the
# whole-glossary page and the downloads until the author pauses (plugins/glossgen/plugin/preview.py).
# --no-strict: a mistake in an entry is listed, one line each, while the preview keeps the last
# valid version (strict mode would hold the preview until it is fixed).
serve: $(VENV)/.installed node_modules/.installed  ## preview the site at http://127.0.0.1:$(PORT) (default 8000), rebuilt on every save
	$(BIN)/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT)

build: $(VENV)/.installed node_modules/.installed  ## build the static site into site/ (set GLOSSGEN_SITE_URL to where it will be published)
	@if [ -z "$$GLOSSGEN_SITE_URL" ]; then \
		echo "make build: GLOSSGEN_SITE_URL is not set, so canonical URLs, the sitemap, the language alternates and"; \
		echo "  the exports point at the placeholder https://glossary.example.org/. Before publishing, build with the"; \
		echo "  site's address: make build GLOSSGEN_SITE_URL=https://your.site/"; fi >&2
	$(BIN)/mkdocs build --strict

# The floors of the package (import-linter, pyproject.toml), then every tier of tests, one test
# module per core at a time. The fast tier alone: .venv/bin/python -m pytest -m "not build and not browser"
test: $(VENV)/.installed node_modules/.installed  ## the full test suite, browser tests included
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest --numprocesses auto --dist loadfile

crosscheck:  ## compare every snippet result with PyTorch and Hugging Face transformers (CPU build of torch)
	test -x $(CROSSCHECK_VENV)/bin/python || $(PYTHON) -m venv $(CROSSCHECK_VENV)
	$(CROSSCHECK_VENV)/bin/pip install -q -r crosscheck/requirements.txt
	@if $(CROSSCHECK_VENV)/bin/pip list 2>/dev/null | grep -qi '^nvidia'; then \
		echo "crosscheck: a CUDA build of torch was installed; install torch==2.13.0 (CPU)"; exit 1; fi
	$(CROSSCHECK_VENV)/bin/python crosscheck/crosscheck.py

# The page words' gettext catalogs (plugins/glossgen/locale), from their English source in core/messages.py:
# extract the template, then merge it into every language's catalog for translators to fill in.
LOCALE := plugins/glossgen/locale
catalogs: $(VENV)/.installed  ## update the page words' translation catalogs after changing core/messages.py
	$(BIN)/pybabel extract --no-default-keywords -k pgettext:1c,2 -k npgettext:1c,2,3 --add-comments=NOTE \
		--no-location --project glossgen --copyright-holder glossgen -o $(LOCALE)/glossgen.pot \
		plugins/glossgen/core/messages.py
	$(BIN)/pybabel update --ignore-obsolete -i $(LOCALE)/glossgen.pot -d $(LOCALE) -D glossgen

system-deps:
	./scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml scripts/system-deps.sh
	./scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf site docs/glossary .cache
