# Interdict — `make demo` runs a whole night on sample data; `make test` runs the test suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
export GX_ANALYTICS_ENABLED := false
export AIRFLOW__CORE__LOAD_EXAMPLES := False

.PHONY: setup browser demo test lint lock screenshots objectstore-start objectstore-stop bench clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	uv venv --allow-existing --python 3.11 $(VENV)
	uv pip install --python $(PY) -r requirements.lock
	uv pip install --python $(PY) --no-deps -e .
	@touch $@

demo: setup
	$(VENV)/bin/interdict demo

# Debian's Chromium, for the tests that open the published pages in a real headless browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the page tests"; \
	  $(SUDO) apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q chromium >/dev/null; }; }

test: setup browser
	$(PY) -m pytest

# The pages as the tests see them in headless Chromium, saved to docs/screenshots/.
screenshots: setup browser
	INTERDICT_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/test_pages.py tests/pipelines/test_serve.py

lint: setup
	$(VENV)/bin/ruff check pipelines screening expectations dags tests
	$(VENV)/bin/mypy pipelines screening

lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

objectstore-start: setup
	$(VENV)/bin/interdict objectstore start

objectstore-stop: setup
	$(VENV)/bin/interdict objectstore stop

clean:
	-$(VENV)/bin/interdict objectstore stop
	rm -rf var
