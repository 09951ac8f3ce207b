"""Second visits restore Python from a memory snapshot taken on the first (site/shell/worker.js),
and a snapshot that cannot be used never breaks the page: Python starts the normal way."""
from __future__ import annotations

from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch
from chromium import READY

# The worker's stamps of the last load (site/shell/worker.js), by name.
STAMPS = "() => window.nnwebStamps.map(([name]) => name)"
SAVED = """async () => {
  const name = (await caches.keys()).find((n) => n.startsWith('nnweb-snapshot:'));
  if (!name) return 0;
  const res = await (await caches.open(name)).match(new URL('nnweb-snapshot', document.baseURI).href);
  return res ? (await res.arrayBuffer()).byteLength : 0;
}"""
# A damaged snapshot in its place: the right header size, garbage after it
DAMAGE = """async () => {
  const name = (await caches.keys()).find((n) => n.startsWith('nnweb-snapshot:'));
  const bytes = new Uint8Array(100000).fill(7);
  await (await caches.open(name)).put(new URL('nnweb-snapshot', document.baseURI).href, new Response(bytes));
}"""


def load(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    return page.evaluate(STAMPS)


def trains(page) -> None:
    page.locator(".nnweb-play button").click()
    BokehPage(page).wait_until(lambda: epoch(page) > 3, what="the app to train")


def test_a_second_visit_restores_python_and_a_damaged_snapshot_falls_back(site_url, browser):
    page = browser.page
    url = site_url() + "/"
    first = load(page, url)
    assert "snapshot taken" in first and "Python restored from the snapshot" not in first
    BokehPage(page).wait_until(lambda: page.evaluate(SAVED) > 1_000_000, what="the snapshot to be saved")

    second = load(page, url + "?again")
    assert "Python restored from the snapshot" in second and "Python started" not in second
    trains(page)  # the restored interpreter runs the whole app

    page.evaluate(DAMAGE)
    warnings = []
    page.on("worker", lambda w: w.on("console", lambda m: m.type == "warning" and warnings.append(m.text)))
    third = load(page, url + "?damaged")
    assert "Python started" in third and "Python restored from the snapshot" not in third
    assert any("could not be used" in w for w in warnings), warnings
    trains(page)
    # the damaged one was replaced by a good one for next time
    BokehPage(page).wait_until(lambda: page.evaluate(SAVED) > 1_000_000, what="a new snapshot")
    assert not browser.errors, browser.errors
