"""The build's first pictures (build/prerender.py), in CPython: the full page's picture comes
in two pieces, the views first and the settings column after, and the two are together the
document the app makes in one piece."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from bokeh_docs import canonical, definitions, first_difference, whole

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "build"))
import prerender  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def panel_root():
    """As build/site.py runs it: Panel names its stylesheets under this root."""
    os.environ.setdefault("PANEL_CDN_ROOT", prerender.PANEL_ROOT)


def models_named(doc: dict, css_class: str) -> int:
    """How many models of ``doc`` carry ``css_class``."""
    return sum(css_class in (model.get("attributes", {}).get("css_classes") or []) for model in definitions(doc["roots"]))


@pytest.mark.parametrize("search, hash_", [("", ""), ("", "relu-edges")])
def test_the_full_page_is_drawn_views_first_then_its_settings(search, hash_, monkeypatch):
    if hash_:
        hash_ = prerender.demonstration_links()[hash_]
    picture = prerender.render(search, hash_)
    (first,) = json.loads(picture["docs_json"]).values()
    # the first piece has the views and the top bar, and an empty settings column
    assert models_named(first, "nnweb-play") == 1 and models_named(first, "nnweb-sidebar") == 1
    assert models_named(first, "nnweb-layer-row") == 0 and models_named(first, "nnweb-regenerate") == 0
    assert models_named(whole(picture), "nnweb-layer-row") >= 1
    monkeypatch.setattr(prerender, "settings_later", lambda doc: ([], None))  # the document in one piece
    one_piece = prerender.render(search, hash_)
    assert "later" not in one_piece
    (expected,) = json.loads(one_piece["docs_json"]).values()
    difference = first_difference(canonical(whole(picture)), canonical(expected))
    assert difference is None, f"the two pieces are not the page: {difference}"


def test_an_embed_is_drawn_in_one_piece():
    picture = prerender.render("?embed", "")
    assert "later" not in picture
    (doc,) = json.loads(picture["docs_json"]).values()
    assert models_named(doc, "nnweb-play") == 1
