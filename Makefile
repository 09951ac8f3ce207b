# The two set-up commands of the README, and the pieces they are made of.
PYTHON ?= python3

.PHONY: serve site test deps

serve:  ## build site/ and serve it at http://127.0.0.1:8000/
	$(PYTHON) build/site.py --serve

site:  ## build site/ only (what the GitHub Pages workflow runs)
	$(PYTHON) build/site.py

deps:  ## everything the tests need on a fresh machine: pip packages, Debian chromium, npm
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(PYTHON) -m pip install --quiet -e ".[app,test]"

test: deps  ## install what is missing, then run every test (engine, app, built site in Chromium)
	$(PYTHON) -m pytest -q
