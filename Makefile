# The two set-up commands of the README, and the pieces they are made of.
PYTHON ?= python3

.PHONY: serve site test deps

serve:  ## build site/ and serve it at http://127.0.0.1:8000/
	$(PYTHON) build/site.py --serve

site:  ## build site/ only (what the GitHub Pages workflow runs)
	$(PYTHON) build/site.py

# command:Debian package, for each program the tests need (apt-get runs only for what is missing)
APT_NEEDS = npm:npm chromium:chromium firefox-esr:firefox-esr WebKitWebDriver:webkit2gtk-driver Xvfb:xvfb
NPM_TESTS = tests/browsers

deps:  ## everything the tests need on a fresh machine: Debian chromium, firefox-esr, WebKit, xvfb; pip and npm packages
	@missing=$$(for need in $(APT_NEEDS); do command -v $${need%%:*} >/dev/null || echo $${need#*:}; done); \
	if [ -n "$$missing" ]; then echo "apt-get install $$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi
	$(PYTHON) -m pip install --quiet -e ".[app,test]"
	@# puppeteer-core (drives Firefox; it downloads no browser) at the version package-lock.json pins
	test $(NPM_TESTS)/node_modules/.package-lock.json -nt $(NPM_TESTS)/package-lock.json \
	  || npm ci --prefix $(NPM_TESTS) --no-audit --no-fund --silent

test: deps  ## install what is missing, then run every test (engine, app, built site in Chromium, Firefox, WebKit)
	$(PYTHON) -m pytest -q
