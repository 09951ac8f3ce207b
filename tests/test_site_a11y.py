"""Accessibility of the built site: axe-core finds no critical or serious violation on the
default page, on every tab, in the embed and with the tour open; and a keyboard alone
reaches and works the main controls, each showing where the focus is (on the tour's page:
the default layout with the tour's buttons).

axe (npm axe-core, tests/browsers/) is served from the site's own origin so the page keeps
its Content-Security-Policy (tests/axe_audit.py). Panel and Bokeh draw every widget in a
shadow root: the first test plants a nameless image inside one and checks that axe reports
it, so a clean report cannot come from an audit that never looked inside. The tabs are read
from the page, so a tab added later is audited too. One page load per layout.
"""
from __future__ import annotations

import time

from axe_audit import audit, axe_files, blocking, counts, describe
from bokeh_page import open_app
from conftest import ARTIFACTS

# A nameless image (axe: role-img-alt, serious) in the shadow root of the Play button's widget
PLANT = """() => {
  const host = (function find(root) {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot && el.classList.contains('nnweb-play')) return el;
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  })(document);
  const box = document.createElement('div');  // not a control: accessibility.js would name it
  box.setAttribute('role', 'img');
  box.className = 'nnweb-planted';
  box.textContent = 'planted';
  host.shadowRoot.appendChild(box);
  return true;
}"""
UNPLANT = "() => (function find(root) { for (const el of root.querySelectorAll('*')) { if (el.classList.contains('nnweb-planted')) { el.remove(); return true; } if (el.shadowRoot && find(el.shadowRoot)) return true; } return false; })(document)"

# Records every focus stop: the element focused (inside shadow roots: composedPath()[0]), its
# name roughly as a screen reader reads it, and its outline and shadow while focused. Style
# transitions are switched off first in every shadow root: a ring that fades in would read
# as "no change" at the moment of focus (what is compared is the ring at rest).
TRACK_FOCUS = """() => {
  const still = new CSSStyleSheet();
  still.replaceSync('* { transition: none !important; }');  // not animations: the page needs its animation events
  const look = (e) => { const cs = getComputedStyle(e); return [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.boxShadow].join(' | '); };
  window.nnwebLook = look;
  window.nnwebStops = [];
  const record = (event) => {
    const el = event.composedPath()[0];
    const stops = window.nnwebStops;
    if (stops.length && stops[stops.length - 1].el === el) return;  // seen by an outer root's listener too
    const labels = el.labels ? [...el.labels].map((l) => l.textContent.trim()).join(' ') : '';
    const name = (el.getAttribute('aria-label') || labels || el.textContent || el.title || '').trim().replace(/\\s+/g, ' ');
    const classes = [...el.classList];  // its own and its shadow hosts' (Panel's css_classes go on a host)
    for (let h = el.getRootNode().host; h; h = h.getRootNode().host) classes.push(...h.classList);
    stops.push({ el, name, tag: el.tagName, classes, what: `${el.tagName.toLowerCase()}.${classes.slice(0, 4).join('.')}`, focused: look(el) });
  };
  // A move inside one shadow tree is not seen outside it (the event's target and related
  // target are the same host there): every root listens
  (function each(root) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, still];
    root.addEventListener('focusin', record, true);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) each(el.shadowRoot);
  })(document);
}"""
# The stops so far, each with its outline and shadow unfocused (the focus is taken away first)
STOPS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (el) el.blur();
  return window.nnwebStops.map(({ el, ...stop }, i, all) => ({ ...stop, first: el === all[0].el && i > 0,
                                                                unfocused: window.nnwebLook(el) }));
}"""


# What a keyboard must reach: (what the report calls it, how the focused element is recognized)
MUST_REACH = {
    "Play": lambda f: "nnweb-play" in f["classes"] and f["tag"] == "BUTTON",
    "Step": lambda f: "nnweb-step" in f["classes"] and f["tag"] == "BUTTON",
    "Reset": lambda f: "nnweb-reset" in f["classes"] and f["tag"] == "BUTTON",
    "the dataset choice": lambda f: f["name"].startswith("Dataset"),
    "Learning rate": lambda f: f["name"].startswith("Learning rate"),
    "Optimizer": lambda f: f["name"].startswith("Optimizer"),
    "Noise (%)": lambda f: f["name"].startswith("Noise"),
    "the neurons of hidden layer 1": lambda f: f["name"] == "Neurons, hidden layer 1",
    "the tour's Next": lambda f: "nnweb-tour-next" in f["classes"] and f["tag"] == "BUTTON",
}


def click_tab(page, label: str) -> None:
    page.locator(".bk-tab", has_text=label).first.click()


def settle() -> None:
    """Time for a tab's views to be drawn and named (site/shell/accessibility.js: 250 ms passes)."""
    time.sleep(1.2)


def assert_clean(results: dict[str, list[dict]]) -> None:
    bad = {where: blocking(found) for where, found in results.items()}
    report = "\n".join(describe(found, f"{where}: ") for where, found in bad.items() if found)
    print("axe, every impact, nodes per rule:", {w: counts(f) for w, f in results.items()})
    assert not any(bad.values()), "critical or serious accessibility violations:\n" + report


def test_axe_finds_nothing_serious_on_the_page_and_every_tab(site_url, browser):
    page = browser.page
    page.set_viewport_size({"width": 1400, "height": 900})
    open_app(page, site_url(extra_files=axe_files()) + "/")
    # axe sees into Panel's and Bokeh's shadow roots: a planted nameless image is reported
    page.evaluate(PLANT)
    planted = [node for v in blocking(audit(page)) for node in v["nodes"] if "nnweb-planted" in node["html"]]
    assert planted and len(planted[0]["target"][0]) > 1, "axe did not see into the shadow roots"
    assert page.evaluate(UNPLANT)
    results = {"default page": audit(page)}
    tabs = page.locator(".bk-tab").all_text_contents()
    assert len(tabs) >= 5, tabs
    for tab in tabs:
        click_tab(page, tab)
        settle()
        results[f"tab {tab}"] = audit(page)
    assert_clean(results)
    assert not browser.errors, browser.errors


def test_axe_finds_nothing_serious_in_the_embed(site_url, browser):
    page = browser.page
    page.set_viewport_size({"width": 1000, "height": 900})
    open_app(page, site_url(extra_files=axe_files()) + "/?embed")
    settle()
    assert_clean({"?embed": audit(page)})
    assert not browser.errors, browser.errors


def test_the_tour_passes_axe_and_the_keyboard_reaches_and_works_the_main_controls(site_url, browser):
    """With the tour open (?tour: the default layout and the tour's buttons), axe finds nothing
    serious; then Tab from the top of the page through every focus stop: Play, Step, Reset,
    the dataset, every tab, the tour's Next and the main settings are reached, and every stop
    looks different focused and unfocused; Space and Enter on a focused Play start and pause
    training."""
    page = browser.page
    page.set_viewport_size({"width": 1400, "height": 900})
    open_app(page, site_url(extra_files=axe_files()) + "/?tour")
    settle()
    assert page.locator(".nnweb-tour-next button").is_visible()
    assert_clean({"?tour": audit(page)})
    tabs = page.locator(".bk-tab").all_text_contents()
    page.evaluate(TRACK_FOCUS)
    for _ in range(20):  # Tab in bursts until the focus comes back to the first stop
        for _ in range(25):
            page.keyboard.press("Tab")
        if page.evaluate("() => window.nnwebStops.slice(1).some((s) => s.el === window.nnwebStops[0].el)"):
            break
    stops = page.evaluate(STOPS)
    reached = stops[:next((i for i, stop in enumerate(stops) if stop["first"]), len(stops))]
    invisible = [f"{s['what']} {s['name']!r}: {s['focused']}" for s in reached if s["focused"] == s["unfocused"]]
    missing = [what for what, found in MUST_REACH.items() if not any(found(f) for f in reached)]
    missing += [f"tab {t}" for t in tabs if not any(f["name"] == t and "bk-tab" in f["classes"] for f in reached)]
    names = [f["name"] for f in reached]
    print(len(reached), "focus stops:", names)
    assert not missing, f"not reached by Tab: {missing}; the focus went through {names}"
    assert not invisible, "no visible focus (same outline and shadow focused and not):\n" + "\n".join(invisible)
    play = page.locator(".nnweb-play button")
    page.keyboard.press("Shift+Tab")  # back to the last tab from the first stop: a keyboard focus, shown
    play.focus()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "keyboard-focus-play.png"), clip={"x": 0, "y": 0, "width": 1400, "height": 120})
    for key, label in (("Space", "Pause"), ("Enter", "Play")):
        page.keyboard.press(key)
        play.filter(has_text=label).wait_for(timeout=10_000)  # the label follows Python's session.running
    assert not browser.errors, browser.errors
