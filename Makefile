# ImmunoWatch: `make run` serves the app with a Celery worker and beat; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.requirements-installed

.PHONY: run test lint messages clean venv lock

venv: $(STAMP)

# requirements.txt is the lock file (`make lock`): every package pinned with its hashes, and
# pip refuses anything whose hash differs.
$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	@touch $(STAMP)

# Recompile the lock file after changing requirements.in (the pins the project asks for).
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

# Web server, worker and beat together; Ctrl-C stops all three. Links in e-mails point at the
# port served unless the caller set SITE_URL.
run: export DJANGO_DEBUG ?= true
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP)
	@mkdir -p var/broker/queue var/broker/processed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "ImmunoWatch on http://127.0.0.1:$(PORT)/ (Ctrl-C stops web, worker and beat)"
	@trap 'kill $$(jobs -p) 2>/dev/null; sleep 3; kill -9 $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload & \
	wait -n; exit 0

# Tests run with production settings (DEBUG off), which refuse to start without these two;
# values from the caller's environment win (.ci/run sets its own key). A bare `python -m
# pytest` gets the same defaults from config/settings_test.py.
test: export DJANGO_SECRET_KEY ?= test-only-secret-key-not-for-any-deployment-7f3a9c1e5b2d8046
test: export SITE_URL ?= http://testserver
test: $(STAMP)
	@.ci/provision
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quality gates CI runs beside the tests.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Regenerate the translation catalogues after changing user-facing text.
messages: export DJANGO_DEBUG ?= true
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale vi --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "test-artifacts/*"
	$(BIN)/python manage.py compilemessages --locale vi --ignore ".venv/*"

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache
