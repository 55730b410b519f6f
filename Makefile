# Alongside: `make run` to try it, `make test` to check it. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run serve test lint format bench lock clean messages

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# The embedded default: SQLite, in-memory channel layer, console e-mail, tasks run at once.
# `make run PORT=8001` serves on another port; SITE_URL (links in e-mails and calendar feeds)
# follows it unless SITE_URL is set in the environment.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) manage.py check --settings=config.settings.test
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	python3 ../shared/tools/check_arrows.py 2>/dev/null || test ! -f ../shared/tools/check_arrows.py

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	@for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Our words for allauth's pages (locale/en_GB): compile after editing the .po (needs gettext).
messages:
	msgfmt --check -o locale/en_GB/LC_MESSAGES/django.mo locale/en_GB/LC_MESSAGES/django.po

# Re-pin exact versions after changing pyproject.toml's dependencies.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) staticfiles .test-media .test-private-media .pytest_cache
