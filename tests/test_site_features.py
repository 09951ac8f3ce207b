"""Issue 8's features in the built site: own CSV data, custom features, on-the-fly learning
rate, editing a weight by clicking an edge, code export, classroom links, the metrics tab."""
from __future__ import annotations

import html
import re
import runpy

from bokeh_page import epoch, open_app, step


def click_tab(page, label: str) -> None:
    page.locator(".bk-tab", has_text=label).first.click()


def test_upload_a_csv_and_train_on_it(site_url, browser, tmp_path):
    rows = ["size,weight,kind"] + [f"{i % 20},{(i * 7) % 23},{'big' if i % 20 > (i * 7) % 23 else 'small'}"
                                   for i in range(200)] + ["x,1,big"]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows))
    page = browser.page
    bk = open_app(page, site_url() + "/")
    page.get_by_text("Your data (CSV)").click()
    page.locator(".nnweb-csv-file input[type=file]").set_input_files(str(path))
    bk.wait_until(lambda: page.locator(".nnweb-csv-use").is_visible(), what="the preview")
    page.locator(".nnweb-csv-use button").click()
    bk.wait_until(lambda: bk.js("nnwebTest.widget('Dataset').value") == "own", what="own data")
    report = lambda: bk.js("nnwebTest.models().find((m) => (m.css_classes || []).includes('nnweb-csv-report')).text")  # noqa: E731
    bk.wait_until(lambda: "rows used" in report(), what="the report")
    assert "200 rows used, 1 skipped: row 202: size" in report(), report()
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) >= 20, what="training on it")
    assert not browser.errors, browser.errors


def test_type_a_custom_feature_and_edit_a_weight(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    box = page.locator(".nnweb-custom-feature input")
    box.fill("x1.__class__")
    page.locator(".nnweb-add-feature button").click()
    bk.wait_until(lambda: bk.shows_text("is not allowed at position 3"), what="a refusal with a position")
    box.fill("sin(3*x1)*x2")
    page.locator(".nnweb-add-feature button").click()
    bk.wait_until(lambda: "sin(3*x1)*x2" in (bk.js("nnwebTest.models().find((m) => Array.isArray(m.labels) "
                                                    "&& m.labels.includes('x1²')).labels") or []), what="the feature")
    # the network now has 3 inputs: 3 nodes in the first column of the diagram
    bk.wait_until(lambda: bk.column("network", 2, "x").count(min(bk.column("network", 2, "x"))) == 3,
                  what="three input nodes")
    # select an edge as a tap on it does (the strongest edge is first in the list)
    bk.js("(() => { nnwebTest.fig('network').renderers[0].data_source.selected.indices = [0]; })()")
    editor = page.locator(".nnweb-edit-weight input")
    bk.wait_until(lambda: editor.is_visible(), what="the weight editor")
    editor.fill("2.5")
    editor.press("Enter")
    bk.wait_until(lambda: any(abs(w - 2.5) < 1e-9 for w in bk.column("network", 0, "w")), what="the edited weight")
    assert not browser.errors, browser.errors


def test_learning_rate_changes_mid_training_without_a_reset(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) >= 30, what="training")
    before = epoch(page)
    bk.set_widget("Learning rate", "0.1")
    bk.wait_until(lambda: epoch(page) >= before + 20, what="training goes on")
    assert epoch(page) > before  # never back to 0
    assert not browser.errors, browser.errors


def test_export_code_classroom_link_and_metrics(site_url, browser, tmp_path):
    page = browser.page
    bk = open_app(page, site_url() + "/?hide=lr,network&tour")
    assert not bk.js("nnwebTest.widget('Learning rate').visible")
    assert bk.js("nnwebTest.widget('Optimizer').visible")
    assert page.locator(".nnweb-tour").is_visible() and bk.shows_text("1/5")
    step(bk, 3)
    with page.expect_download() as download:
        page.get_by_text("As NumPy script").click()
    path = tmp_path / "m.py"
    download.value.save_as(path)
    ns = runpy.run_path(str(path))
    assert ns["predict"](ns["features"](__import__("numpy").zeros((1, 2)))).shape == (1, 1)
    click_tab(page, "Metrics")
    bk.wait_until(lambda: sum(bk.column("confusion", 0, "count")) == 250, what="the confusion matrix")
    assert not browser.errors, browser.errors


def test_compare_mode_trains_two_runs(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    click_tab(page, "Compare")
    page.locator(".nnweb-compare-start button").click()
    bk.wait_until(lambda: bk.js("nnwebTest.fig('decision-boundary-b') !== null"), what="run B")
    page.locator(".nnweb-play button").click()

    def epochs():  # "A: epoch 12 · ... B: epoch 12 · ..." from the speeds pane (HTML, escaped in the model)
        text = bk.js("nnwebTest.models().find((m) => (m.css_classes || []).includes('nnweb-compare-speeds')).text")
        plain = re.sub(r"<[^>]+>", "", html.unescape(text or ""))
        found = dict(re.findall(r"([AB]): epoch (\d+) .*?steps/s", plain))
        return {k: int(v) for k, v in found.items()}
    bk.wait_until(lambda: epochs().get("A", 0) >= 5 and epochs().get("B", 0) >= 5, what="both runs training")
    assert not browser.errors, browser.errors


def test_a_controls_help_shows_on_hover_every_time(site_url, browser):
    """Each "?" beside a control shows its help text on hover, the first time too: the page
    draws a help only when it is first shown (site/shell/loader.js tooltipsOnFirstShow)."""
    from nnweb.app.controls import TOOLTIPS
    page = browser.page
    open_app(page, site_url() + "/")
    help_text = page.get_by_text(TOOLTIPS["lr"], exact=True)
    icon = page.locator(".bk-input-group").filter(has=page.locator("label").get_by_text("Learning rate", exact=True)) \
        .locator(".bk-description")
    for _ in range(2):
        icon.hover()
        help_text.wait_for(state="visible", timeout=3000)
        page.mouse.move(0, 0)
        help_text.wait_for(state="hidden", timeout=3000)
    assert not browser.errors, browser.errors
