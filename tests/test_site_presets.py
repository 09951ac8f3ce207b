"""Presets in the built site: each loads from the gallery; the disks pair trains to its claim."""
from __future__ import annotations

import html

from bokeh_page import epoch, open_app
from conftest import ARTIFACTS

from nnweb.app.presets import BY_KEY, PRESETS




def train_until(bk, epochs: int) -> float:
    """Train to at least ``epochs``, pause, and return the last test accuracy on the curve."""
    bk.page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(bk.page) >= epochs, timeout=120, what=f"{epochs} epochs")
    bk.page.locator(".nnweb-play button").click()
    return bk.column("history-accuracy", 1, "test_acc")[-1]


def test_every_preset_loads_and_the_disks_pair_trains_as_captioned(site_url, browser):
    url = site_url()
    page = browser.page
    bk = open_app(page, url + "/")
    for preset in PRESETS:
        bk.set_widget("Demonstrations", preset.title)
        bk.wait_until(lambda: bk.js("nnwebTest.widget('Dataset').value") == preset.experiment.data.dataset
                      and bk.shows_text(html.escape(preset.caption[:40])), what=f"preset {preset.key}")
        hidden = len(preset.experiment.model.layers)
        bk.wait_until(lambda: any(c in (f"hidden {hidden}", f"h{hidden}") for c in bk.column("network", 3, "text")),
                      what="its network")
    page.locator(".bk-tab", has_text="History").first.click()
    results = {}
    for key in ("disks-2", "disks-3"):
        preset = BY_KEY[key]
        bk.set_widget("Demonstrations", preset.title)
        bk.wait_until(lambda: epoch(bk.page) == 0 and bk.shows_text(html.escape(preset.caption[:40])), what=key)
        results[key] = train_until(bk, preset.epochs)
        page.screenshot(path=str(ARTIFACTS / f"preset-{key}.png"))
    assert results["disks-3"] >= 0.95 and results["disks-2"] < 0.9, results
    assert not browser.errors, browser.errors
