# ImmunoWatch: `make run` serves the app with a Celery worker and beat; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.requirements-installed

.PHONY: run test lint messages clean venv

venv: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# Web server, worker and beat together; Ctrl-C stops all three.
run: export DJANGO_DEBUG ?= true
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

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the translation catalogues after changing user-facing text.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale vi --ignore ".venv/*" --ignore "var/*"
	$(BIN)/python manage.py compilemessages --locale vi --ignore ".venv/*"

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache
