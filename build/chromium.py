"""Headless Debian Chromium through Playwright, the one way tests and benchmarks start it.

Always the system browser (``executable_path``), never a downloaded one, with a fresh
profile and the flags that keep it off the network (this machine has none but localhost).
"""
from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
# A function, not an expression string: Playwright evals strings, which the site's CSP refuses.
READY = "() => document.body !== null && document.body.dataset.nnwebState === 'ready'"
# The first picture of a page: the live app, or (second visits) last visit's page from the cache.
FIRST_PICTURE = "() => document.body !== null && ['preview', 'ready'].includes(document.body.dataset.nnwebState)"
# ... and its settings column too (a full page's picture draws it in the frame after the views)
WHOLE_PICTURE = ("() => document.body !== null && (document.body.dataset.nnwebPicture === 'whole' "
                 "|| document.body.dataset.nnwebState === 'ready')")


def launch(playwright, profile_dir: str, width: int = 1200, height: int = 800):
    """A persistent context on ``profile_dir`` (an empty temporary folder = a fresh profile)."""
    return playwright.chromium.launch_persistent_context(
        profile_dir, executable_path=CHROMIUM, headless=True, args=ARGS,
        viewport={"width": width, "height": height})
