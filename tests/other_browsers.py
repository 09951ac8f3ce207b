"""Firefox ESR and WebKitGTK, the Debian packages, behind one small driver interface.

The browser tests of ``test_site_browsers.py`` are written once against ``goto``, ``js``,
``click``, ``errors`` and ``screenshot``; each browser implements them with its own
automation: Firefox over WebDriver BiDi through puppeteer-core (a Node bridge,
tests/browsers/firefox_bridge.mjs), WebKit through Selenium and WebKitWebDriver driving
MiniBrowser on a private Xvfb display. No browser is ever downloaded; a missing one fails
with the command that installs it (``make deps``).
"""
from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "browsers"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
CALL_TIMEOUT = 150.0  # seconds for one command (a page load under a busy machine included)

# JS: the first element matching ``inner`` within an element matching ``host``, looking
# through shadow roots (Bokeh and Panel draw their widgets in them), as Playwright's CSS does.
FIND = """((host, inner) => {
  const roots = (root) => [root, ...[...root.querySelectorAll("*")].filter((e) => e.shadowRoot)
                                        .flatMap((e) => roots(e.shadowRoot))];
  for (const root of roots(document)) {
    for (const el of root.querySelectorAll(host)) {
      for (const within of [el, ...(el.shadowRoot ? roots(el.shadowRoot) : [])]) {
        const found = within.querySelector(inner);
        if (found) return found;
      }
    }
  }
  return null;
})"""
# JS: the first button, through shadow roots, whose label is ``text``.
BUTTON = """((text) => {
  const roots = (root) => [root, ...[...root.querySelectorAll("*")].filter((e) => e.shadowRoot)
                                        .flatMap((e) => roots(e.shadowRoot))];
  return roots(document).flatMap((r) => [...r.querySelectorAll("button")])
                        .find((e) => e.textContent.trim() === text) || null;
})"""


def require(path: str, package: str) -> None:
    """Fail (never skip) when a browser piece is missing: a skip would count as passing."""
    if not (Path(path).exists() or shutil.which(path)):
        pytest.fail(f"{path} is missing: `make deps` installs it (Debian package {package})", pytrace=False)


class BrowserError(AssertionError):
    pass


class Firefox:
    """Firefox ESR driven by the Node bridge; one browser for the life of this object."""

    name = "firefox"

    def __init__(self, log: Path):
        require(FIREFOX, "firefox-esr")
        require("node", "nodejs")
        if not (HERE / "node_modules" / "puppeteer-core").is_dir():
            pytest.fail(f"puppeteer-core is not installed in {HERE}: `make deps` runs npm ci there", pytrace=False)
        self._log = open(log, "w")
        self._proc = subprocess.Popen(["node", str(HERE / "firefox_bridge.mjs"), FIREFOX], cwd=HERE, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._id = 0
        hello = self._next(60.0)
        self.version = hello["version"]

    def _read(self) -> None:
        for line in self._proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _next(self, timeout: float) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise BrowserError(f"Firefox did not answer within {timeout:.0f} s (log: {self._log.name})") from None
        if line is None:
            raise BrowserError(f"the Firefox bridge exited (log: {self._log.name})")
        return json.loads(line)

    def call(self, op: str, **args):
        self._id += 1
        self._proc.stdin.write(json.dumps({"id": self._id, "op": op, **args}) + "\n")
        self._proc.stdin.flush()
        answer = self._next(CALL_TIMEOUT)
        assert answer["id"] == self._id, answer
        if "error" in answer:
            raise BrowserError(f"Firefox {op}: {answer['error']}")
        return answer["value"]

    def goto(self, url: str) -> None:
        self.call("goto", url=url)

    def js(self, fn: str, arg=None, frame: str | None = None):
        return self.call("eval", fn=fn, arg=arg, frame=frame)

    def click(self, fn: str, arg=None, frame: str | None = None) -> None:
        """A real mouse click on the element the JS function ``fn(arg)`` returns."""
        self.call("click", fn=fn, arg=arg, frame=frame)

    def native_errors(self) -> list[str]:
        """Console errors and page errors Firefox reported over BiDi since the last call."""
        return self.call("errors")

    def screenshot(self, path: Path) -> None:
        self.call("screenshot", path=str(path))

    def close(self) -> None:
        self._proc.stdin.close()
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._log.close()


class WebKit:
    """WebKitGTK's MiniBrowser through WebKitWebDriver (Selenium), on its own Xvfb display."""

    name = "webkit"

    def __init__(self, log: Path):
        for path, package in ((WEBKIT_DRIVER, "webkit2gtk-driver"), (MINIBROWSER, "libwebkit2gtk-4.1-0"),
                              (XVFB, "xvfb")):
            require(path, package)
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self._xvfb, display = start_xvfb(log.with_suffix(".xvfb.log"))
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBKIT_DRIVER, log_output=str(log),
                          env={**os.environ, "DISPLAY": display})
        # A MiniBrowser that cannot start leaves the session request waiting forever: bound it.
        started: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: started.put(_try(webdriver.WebKitGTK, options=options, service=service)),
                         daemon=True).start()
        try:
            driver = started.get(timeout=60)
        except queue.Empty:
            driver = BrowserError(f"WebKit did not start within 60 s (log: {log})")
        if isinstance(driver, Exception):
            if service.process:
                service.process.kill()
            self._xvfb.kill()
            raise driver
        self.driver = driver
        self.driver.set_window_size(1200, 800)
        self.version = self.driver.capabilities.get("browserVersion")
        self._frame: str | None = None

    def _enter(self, frame: str | None) -> None:
        from selenium.webdriver.common.by import By

        self.driver.switch_to.default_content()
        if frame:
            self.driver.switch_to.frame(self.driver.find_element(By.CSS_SELECTOR, frame))

    def goto(self, url: str) -> None:
        self.driver.switch_to.default_content()
        self.driver.get(url)

    def js(self, fn: str, arg=None, frame: str | None = None):
        self._enter(frame)
        return self.driver.execute_script(f"return ({fn})(arguments[0]);", arg)

    def click(self, fn: str, arg=None, frame: str | None = None) -> None:
        """A real mouse click on the element the JS function ``fn(arg)`` returns."""
        element = self.js(fn, arg, frame)
        if element is None:
            raise BrowserError(f"nothing to click: {arg}")
        # WebKitWebDriver scrolls an element out of view itself, then clicks where it was
        # before the scroll (seen with the sidebar's "+ layer"): bring it into view first.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    def native_errors(self) -> list[str]:
        """WebKitWebDriver offers no console log (and no BiDi): the page's own record is all."""
        return []

    def screenshot(self, path: Path) -> None:
        self.driver.switch_to.default_content()
        self.driver.save_screenshot(str(path))

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self._xvfb.terminate()
            self._xvfb.wait(timeout=10)


def _try(function, **kwargs):
    try:
        return function(**kwargs)
    except Exception as err:  # noqa: BLE001  (handed to the thread that waits)
        return err


def start_xvfb(log: Path) -> tuple[subprocess.Popen, str]:
    """An X server on the first free display (Xvfb picks it and writes its number)."""
    read, write = os.pipe()
    with open(log, "w") as out:
        proc = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                                pass_fds=(write,), stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    os.close(write)
    number, deadline = b"", time.time() + 30
    while not number.endswith(b"\n") and time.time() < deadline:  # the end of the line: Xvfb fails
        ready, _, _ = select.select([read], [], [], 1)                # if the pipe closes before it
        chunk = os.read(read, 16) if ready else b""
        if ready and not chunk:
            break
        number += chunk
    os.close(read)
    number = number.decode().strip()
    if not number or proc.poll() is not None:
        proc.kill()
        raise BrowserError("Xvfb did not start")
    return proc, ":" + number


def launch(name: str, log_dir: Path):
    log_dir.mkdir(parents=True, exist_ok=True)
    return {"firefox": Firefox, "webkit": WebKit}[name](log_dir / f"{name}.log")


def wait_until(predicate, timeout: float = 30.0, what: str = "condition"):
    """``predicate()`` once it is truthy; a JS error mid-update (a model being replaced) retries."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except BrowserError as err:
            last = err
        except Exception as err:  # noqa: BLE001  (Selenium's JavascriptException and kin)
            last = err
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}" + (f" (last error: {last})" if last else ""))

