# One command to run the product, one to test it. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(HOME)/.pyenv
PYTHON_RASA ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python) $(shell command -v python3.10))
PYTHON_APP ?= $(firstword $(shell command -v python3.11) $(wildcard $(PYENV_ROOT)/versions/3.11.*/bin/python))

RASA_VENV := .venvs/rasa
APP_VENV := .venvs/app
RASA := $(RASA_VENV)/bin/rasa
APP_PY := $(APP_VENV)/bin/python

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore::DeprecationWarning
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help run chat test test-unit test-browser lint types setup train clean

help:
	@echo "make run    - set up, train if needed, start the assistant on http://127.0.0.1:5005"
	@echo "make chat   - chat in the terminal with a running 'make run'"
	@echo "make test   - set up and run every test suite"

setup: $(RASA_VENV)/.installed $(APP_VENV)/.installed

$(RASA_VENV)/.installed: requirements/rasa.lock
	@test -n "$(PYTHON_RASA)" || { echo "Python 3.10 not found: install it with pyenv (pyenv install 3.10)"; exit 1; }
	@echo "==> Creating the Rasa environment (Python 3.10) in $(RASA_VENV)"
	$(PYTHON_RASA) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.lock
	touch $@

$(APP_VENV)/.installed: requirements/app.lock
	@test -n "$(PYTHON_APP)" || { echo "Python 3.11 not found: install it with pyenv (pyenv install 3.11)"; exit 1; }
	@echo "==> Creating the project environment (Python 3.11) in $(APP_VENV)"
	$(PYTHON_APP) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/app.lock
	touch $@

# Rasa itself skips training when the data and config are unchanged.
train: setup
	@echo "==> Training the assistant (skipped when nothing changed)"
	$(RASA) train --fixed-model-name leadline --out models

run: train
	@scripts/run.sh

chat: $(APP_VENV)/.installed
	$(APP_PY) -m bot.chat

test: setup
	@scripts/test.sh

test-unit: $(APP_VENV)/.installed
	$(APP_PY) -m pytest tests -m "not integration and not browser"

test-browser: $(APP_VENV)/.installed
	scripts/install-browser.sh
	$(APP_PY) -m pytest tests -m "browser and not integration"

lint: $(APP_VENV)/.installed
	$(APP_VENV)/bin/ruff check . && $(APP_VENV)/bin/ruff format --check .

types: $(APP_VENV)/.installed
	$(APP_VENV)/bin/mypy qualifier

clean:
	rm -rf .venvs models var results
