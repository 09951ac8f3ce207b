"""Shared fixtures: the built site, a static server for it, and headless Debian Chromium.

The site is built once per test session with the README's build tooling (downloads are
cached under ~/.cache/nnweb). Chromium is the system one, driven by Playwright through
``executable_path``: no browser is ever downloaded. Each test gets a fresh profile, and a
failing browser test leaves a screenshot in test-artifacts/.
"""
from __future__ import annotations

import inspect
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check answers, not speed: Hypothesis's default 200 ms deadline per example
# failed them on a loaded machine (2 shared cores), which says nothing about the code.
settings.register_profile("nnweb", deadline=None)
settings.load_profile("nnweb")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
sys.path.insert(0, str(ROOT / "build"))

import chromium  # noqa: E402  (build/chromium.py)

from bokeh_page import LOAD_TIMEOUT_MS  # noqa: E402,F401  (re-exported for tests)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def built_site() -> Path:
    import importlib.util  # build/site.py is loaded by path: "site" is also a stdlib module

    spec = importlib.util.spec_from_file_location("nnweb_build_site", ROOT / "build" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build()
    return module.SITE


@pytest.fixture
def site_url(built_site):
    """Serve the built site on 127.0.0.1 (``serve.make_server`` options: mount, extra_files,
    hidden); returns the server's base URL. Servers stop when the test ends."""
    import serve

    servers = []

    def start(**options) -> str:
        server = serve.serve_in_thread(built_site, **options)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


class BrowserSession:
    """One fresh Chromium profile; records console errors and every requested URL."""

    def __init__(self, playwright, profile: str):
        self.context = chromium.launch(playwright, profile)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.watch(self.page)

    def watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("worker", lambda w: w.on("console", lambda m: m.type == "error" and self.errors.append(m.text)))


@pytest.fixture
def browser(playwright_instance, request):
    with tempfile.TemporaryDirectory(prefix="nnweb-profile-") as profile:
        session = BrowserSession(playwright_instance, profile)
        yield session
        screenshots_if_failed(request, session.context.pages)
        session.context.close()


def screenshots_if_failed(request, pages) -> None:
    """A failed test's pages, whole, in test-artifacts/ (named after the test)."""
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, page in enumerate(pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True)


@pytest.fixture
def next_turn_now(monkeypatch):
    """What the app leaves for the next turn of the loop (pn.state.execute) runs at once, as it
    does in a bare CPython process. With the browser tests' Playwright still running in the same
    process, Panel hands it to Playwright's running loop, where it waits until Playwright runs."""
    def execute(callback, schedule="auto"):
        result = callback()
        if inspect.iscoroutine(result):  # the app's catch-ups await nothing: step them to the end
            try:
                while True:
                    result.send(None)
            except StopIteration:
                pass
    import panel as pn
    monkeypatch.setattr(pn.state, "execute", execute)
