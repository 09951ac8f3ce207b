"""A shared link cannot turn the built site against its visitor: markup from a link, a query
string or typed input shows as text (no element is created), the site's own loader smuggled
into the page starts no second worker, deep nesting is refused in a sentence, a refused pasted
link does not stay in the address bar, and an error screen offers the default experiment."""
from __future__ import annotations

import base64
import json
import time
import zlib
from urllib.parse import quote

from bokeh_page import epoch, open_app, step
from test_site import wait_for_error

ANYWHERE = """(id) => {
  const has = (root) => Boolean(root.getElementById && root.getElementById(id)) ||
    [...root.querySelectorAll('*')].some((el) => el.shadowRoot && has(el.shadowRoot));
  return has(document);
}"""


def payload(tag_id: str) -> str:
    return (f'<a id="{tag_id}" href="http://example.invalid/" '
            'style="position:fixed;inset:0;z-index:2147483647">Your session expired</a>')


def raw_link(value) -> str:
    """A link whose state is ``value`` (or that JSON text) as it stands, valid or not, in the
    codec's own format."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    packed = zlib.compress(text.encode(), 9)
    return "1." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def test_markup_in_a_link_or_a_query_shows_as_text(site_url, browser):
    """A link's markup is shown as text; a query's unknown names go to the console (for the
    teacher who wrote it, not the students) and create nothing in the page either."""
    page = browser.page
    logged = []
    page.on("worker", lambda w: w.on("console", lambda m: logged.append(m.text)))
    link = raw_link({"view": {"preset": '<img id="nnweb-from-hash" src="x">'}})
    for address, literal, tag_id in ((f"/#{link}", '<img id="nnweb-from-hash" src="x">', "nnweb-from-hash"),
                                     (f"/?hide={quote(payload('nnweb-from-query'))}", "Your session expired</a>",
                                      "nnweb-from-query")):
        bk = open_app(page, site_url() + address)
        if "hide=" in address:
            bk.wait_until(lambda: any(literal in text for text in logged), what="the console's notice")
        else:
            bk.wait_until(lambda: literal in page.locator(".nnweb-message").first.inner_text(), what="the message")
        assert not page.evaluate(ANYWHERE, tag_id), f"#{tag_id} was created"
        step(bk, 1)  # nothing covers the page: its buttons still take clicks
    assert not browser.errors, browser.errors


def test_markup_typed_into_a_field_shows_as_text(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    field = page.get_by_placeholder("custom feature, e.g. sin(3*x1)*x2")
    field.fill('<b id="nnweb-typed">x1</b>')
    page.get_by_role("button", name="Add").click()
    bk.wait_until(lambda: "Not applied" in page.locator(".nnweb-message-bad").first.inner_text(), what="the refusal")
    assert '<b id="nnweb-typed">' in page.locator(".nnweb-message-bad").first.inner_text()
    assert not page.evaluate(ANYWHERE, "nnweb-typed")
    assert not browser.errors, browser.errors


def test_the_sites_own_loader_run_again_starts_no_second_worker(site_url, browser):
    page = browser.page
    loader = None
    bk = open_app(page, site_url() + "/")
    loader = page.evaluate("document.getElementById('nnweb-loader').getAttribute('src')")
    assert len(page.workers) == 1
    page.evaluate("(src) => { const s = document.createElement('script'); s.src = src; document.head.append(s); }",
                  loader)
    time.sleep(2.0)
    assert len(page.workers) == 1
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) > 3, what="the one app to train on")


def test_deep_nesting_in_a_link_is_refused_in_a_sentence_and_the_page_works(site_url, browser):
    page = browser.page
    deep = '{"data":' + "[" * 3000 + "]" * 3000 + "}"  # 85 characters of link
    bk = open_app(page, f"{site_url()}/#{raw_link(deep)}")
    bk.wait_until(lambda: bk.shows_text("could not be opened"), what="the refusal")
    assert bk.shows_text("levels deep")
    step(bk, 2)
    assert page.evaluate("document.body.dataset.nnwebState") == "ready"
    assert not browser.errors, browser.errors


def test_a_refused_pasted_link_does_not_stay_in_the_address_bar(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    page.evaluate("location.hash = '#1.not-a-state'")
    bk.wait_until(lambda: bk.shows_text("could not be opened"), what="the refusal")
    on_screen = page.evaluate("() => nnweb.inspect()")["hash"]
    bk.wait_until(lambda: page.evaluate("location.hash") == "#" + on_screen, what="the address of what is on screen")
    assert not browser.errors, browser.errors


def test_an_error_screen_offers_the_default_experiment(site_url, browser):
    page = browser.page
    url = site_url(hidden=("numpy-",))
    page.goto(url + "/?embed#1.anything")
    wait_for_error(page)
    assert page.is_visible("#nnweb-reload-default")
    with page.expect_navigation():
        page.click("#nnweb-reload-default")
    assert page.url == url + "/?embed"  # no hash: the link that failed is not opened again
