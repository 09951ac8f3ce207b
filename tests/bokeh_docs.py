"""Bokeh documents compared as graphs of models: the build's first pictures (build/prerender.py)
against what the worker draws, and a picture in two pieces against one in a single piece."""
from __future__ import annotations

import json
import re


def definitions(value):
    """Every model defined in a serialised value ({"type": "object", "id": ...}), depth first."""
    if isinstance(value, dict):
        if value.get("type") == "object" and "id" in value:
            yield value
        for item in value.values():
            yield from definitions(item)
    elif isinstance(value, list):
        for item in value:
            yield from definitions(item)


def whole(picture: dict) -> dict:
    """A build's picture as one document: its ``later`` patch (the settings column, drawn in the
    frame after the views) put back where it goes."""
    (doc,) = json.loads(picture["docs_json"]).values()
    by_id = {model["id"]: model for model in definitions(doc["roots"])}
    for event in json.loads(picture.get("later") or '{"events": []}')["events"]:
        by_id[event["model"]["id"]]["attributes"][event["attr"]] = event["new"]
    return doc


def canonical(doc: dict):
    """A document as its graph of models, numbered in the order a walk from the roots meets
    them (wherever the serialisation happened to define each one), arrays by their shape and
    type, numbers rounded: what must be the same whether CPython (the build) or Pyodide (the
    worker) made it, in one piece or two."""
    objects = {model["id"]: model for model in definitions(doc["roots"])}
    numbers: dict = {}
    models: list = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("type") in ("ndarray", "bytes"):
                return ["array", value.get("dtype"), value.get("shape")]
            if value.get("type") == "set":  # no order of its own
                return ["set", sorted(map(json.dumps, walk(value["entries"])))]
            if "id" in value and (value.get("type") == "object" or set(value) == {"id"}):
                ident = value["id"]
                if ident not in numbers:
                    numbers[ident] = len(models)
                    models.append(None)
                    models[numbers[ident]] = {key: walk(item) for key, item in objects[ident].items() if key != "id"}
                return {"model": numbers[ident]}
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, float):
            return float(f"{value:.5g}")
        if isinstance(value, str):  # Panel's object names count objects made (Row00370)
            return re.sub(r"^([A-Za-z]+)\d{5}$", r"\1", value)
        return value
    roots = walk(doc["roots"])
    return {"roots": roots, "models": models}


def first_difference(a, b, path="roots"):
    """Where two canonical documents first differ, for the failure message."""
    if type(a) is not type(b) or (not isinstance(a, (dict, list)) and a != b):
        return f"{path}: {str(a)[:200]} != {str(b)[:200]}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            names = lambda items: [item.get("name") if isinstance(item, dict) else item for item in items]  # noqa: E731
            extra = [name for name in names(a) if name not in names(b)] or [n for n in names(b) if n not in names(a)]
            return f"{path}: {len(a)} items != {len(b)} (in one only: {str(extra)[:300]})"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return None
