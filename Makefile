# Boai — the two commands of the README, and the helpers they use.
#   make run    set up everything, load regions and demo data, serve http://127.0.0.1:$(PORT)
#   make test   set up everything and run the whole test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# the suite on every core (pytest-xdist), a test file per worker so module fixtures (the browser) start once
PYTEST_ARGS ?= -n auto --dist loadfile
CHROMIUM := /usr/bin/chromium

.PHONY: run test install system-packages lint bench lock messages screenshot clean docs

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Boai needs Python 3.11, found " + sys.version)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/python -c "import django, rest_framework, celery, playwright"  # fail here if the install did
	touch $@

install: $(VENV)/.installed

run: install
	BOAI_DEMO=1 $(BIN)/python manage.py migrate --no-input -v 0
	BOAI_DEMO=1 $(BIN)/python manage.py compilemessages_py
	BOAI_DEMO=1 $(BIN)/python manage.py load_regions
	BOAI_DEMO=1 $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Boai is starting on http://127.0.0.1:$(PORT)/  (public portal)  and  http://127.0.0.1:$(PORT)/workspace/  (staff)"
	@echo "Log in with one of the demo accounts above. Demo accounts skip the two-step code under 'make run' only."
	@echo "No SMS is sent under 'make run': portal codes are written to var/sms-outbox.jsonl (the last code: tail -n 1 var/sms-outbox.jsonl)."
	BOAI_DEMO=1 exec $(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

# Browser tests drive Debian's Chromium; the translation check runs GNU gettext's xgettext.
# Install them from Debian when missing (never a downloaded browser).
system-packages:
	@missing=""; [ -x $(CHROMIUM) ] || missing="chromium"; command -v xgettext >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages for the tests:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null; \
	  else \
	    echo "WARNING: missing $$missing and cannot install it here (as root: apt-get install $$missing)"; \
	  fi; \
	fi

# REDIS_URL of the shell is not the suite's: the tests run jobs in-process (eager) and keep the cache in
# memory; those that need Redis name their own (BOAI_TEST_REDIS_URL) or start a redis-server.
test: install system-packages
	$(BIN)/python manage.py compilemessages_py
	env -u REDIS_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache

bench: install
	$(BIN)/python bench/run.py

# Regenerate the lock file (with hashes) from pyproject.toml.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements.lock --custom-compile-command "make lock"
	# pip 23 asks that a dependency wanted with an extra (weasyprint wants fonttools[woff]) be pinned with it under --require-hashes
	sed -i 's/^fonttools==/fonttools[woff]==/' requirements.lock

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location -i ".venv/*" -i "var/*"
	$(BIN)/python manage.py compilemessages_py

docs: install
	$(BIN)/python manage.py workflow_docs
	$(BIN)/python scripts/layers_doc.py
	$(BIN)/python manage.py figures_doc

screenshot: install
	$(BIN)/python scripts/screenshot.py

clean:
	rm -rf $(VENV) var/boai.sqlite3* var/static var/audit-checkpoints
