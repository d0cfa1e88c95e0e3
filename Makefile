# The two commands: `make demo` and `make test`. Each sets up everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench clean test-browser i18n-extract i18n-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,demo]"
	touch $(STAMP)

# `make demo UI=notebook` serves Notebook 7 instead of JupyterLab.
UI ?= lab

demo: $(STAMP)
	$(PY) scripts/demo.py --ui $(UI)

# The extension's TypeScript: eslint + prettier (labextension/package.json), with JupyterLab's jlpm.
labextension/node_modules/.installed: labextension/package.json labextension/yarn.lock $(STAMP)
	cd labextension && PATH=$(abspath $(VENV))/bin:$$PATH jlpm install
	touch $@

lint: $(STAMP) labextension/node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	cd labextension && PATH=$(abspath $(VENV))/bin:$$PATH jlpm lint:check

format: $(STAMP) labextension/node_modules/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	cd labextension && PATH=$(abspath $(VENV))/bin:$$PATH jlpm lint

# git clone / push tests of the sandbox (tests/test_sandbox_git.py) drive Debian's git and git-lfs.
GIT_LFS := /usr/bin/git-lfs

$(GIT_LFS):
	apt-get update && apt-get install -y git git-lfs

# The catalogs (hub_widgets/locale, one gettext domain for the widgets, the sandbox's pages and the
# extension): extract refreshes the .pot, the .po files (translations kept) and the compiled .mo/.json;
# check fails on a stale .pot or compile, an untranslated or fuzzy message, a placeholder mismatch.
i18n-extract: $(STAMP)
	$(PY) scripts/i18n.py extract

i18n-check: $(STAMP)
	$(PY) scripts/i18n.py check

test: lint i18n-check $(GIT_LFS)
	$(PY) -m pytest -q -p no:cacheprovider
	$(MAKE) test-browser

bench: $(STAMP)
	for f in bench/*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .demo build dist

# Browser end-to-end tests of the JupyterLab sidebar: Debian's chromium driven by Playwright
# (no browser download), JupyterLab on a SandboxHub. The extension itself is built by the
# `pip install -e .` of $(STAMP) (hatch-jupyter-builder hook); this checks it is installed.
CHROMIUM := /usr/bin/chromium
# Chinese and Japanese text needs a CJK font, or the language tests measure and show empty boxes.
CJK_FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

$(CJK_FONT):
	apt-get update && apt-get install -y fonts-droid-fallback

ui-tests/node_modules/.installed: ui-tests/package.json ui-tests/package-lock.json
	cd ui-tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

test-browser: $(STAMP) $(CHROMIUM) $(CJK_FONT) ui-tests/node_modules/.installed labextension/node_modules/.installed
	@$(VENV)/bin/jupyter labextension list 2>&1 | grep -q "hub-widgets.*enabled.*OK" || \
		{ echo "hub-widgets labextension not installed: run $(PY) -m pip install -e ."; exit 1; }
	cd labextension && PATH=$(abspath $(VENV))/bin:$$PATH jlpm test
	cd ui-tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PYTHON=$(CURDIR)/$(PY) npx playwright test
