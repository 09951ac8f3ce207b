"""Python 3.12 bytecode for what the app imports as it starts, compiled by Pyodide itself.

Why: in Pyodide, compiling source is most of importing it. ``import panel`` took 2.56 s
from source and 1.51 s from bytecode (the app's modules 0.17 -> 0.10 s), measured in
Pyodide 0.27.7 under Node; the browser does the same work. The build's own Python need
not be 3.12, so the bytecode comes from the interpreter that runs it, Pyodide's, under
Node (build/compile_bytecode.js). Only the modules the app imports at start are compiled
(found by importing them there): bytecode is bigger than compressed source, and modules
never imported would only add weight (all of them: +2.4 MB; these: +1.2 MB). Third-party
modules then ship as bytecode only, as Pyodide's own packages do; nnweb keeps its sources
beside its bytecode, so its tracebacks show their lines. A module that is missed or does
not compile stays source and still works. Results are cached by everything that went in.
"""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pins
import sources

HERE = Path(__file__).resolve().parent
CACHE_VERSION = "2"  # bump when the way wheels are compiled changes

# What the browser's worker imports before the first picture (nnweb/app/browser.py does the
# same with Panel's Pyodide helpers): the app, its document, and its serialisation.
PROBE = """
from bokeh.document import Document
from bokeh.embed.util import standalone_docs_json_and_render_items
import panel.io.pyodide
import nnweb.app.browser
from nnweb.app.main import create_app
doc = Document()
doc.add_root(create_app().__panel__().get_root(doc))
standalone_docs_json_and_render_items(doc.roots, suppress_callback_warning=True)
"""


def _repack(root: Path, keep_source: bool) -> bytes:
    """The wheel unpacked in ``root``, after compiling: sources swapped for (or joined by)
    their bytecode, RECORD rewritten to list exactly what is inside."""
    files: dict[str, bytes] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if not keep_source and rel.endswith(".py") and path.with_suffix(".pyc").exists():
            continue  # its bytecode replaces it
        files[rel] = path.read_bytes()
    return sources.pack_wheel(files, next(p for p in files if p.endswith(".dist-info/RECORD")))


def compile_wheels(wheels: dict[str, bytes], keep_source: frozenset[str], binary: dict[str, bytes]) -> dict[str, bytes]:
    """file name -> wheel with bytecode for the modules the app imports at start. ``wheels``
    are the pure ones to compile (names in ``keep_source`` keep their .py); ``binary`` are
    official Pyodide wheels (numpy) the app needs to import, loaded but left as they are."""
    key = hashlib.sha256(f"{pins.PYODIDE_VERSION}/{CACHE_VERSION}/{PROBE}/{sorted(keep_source)}".encode())
    for name, data in sorted({**wheels, **binary}.items()):
        key.update(name.encode() + hashlib.sha256(data).digest())
    store = sources.cache_dir() / "bytecode" / key.hexdigest()[:24]
    if all((store / name).exists() for name in wheels):
        return {name: (store / name).read_bytes() for name in wheels}
    print(f"nnweb: compiling what the app imports to Python 3.12 bytecode with Pyodide (Node) ...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plan = {"wheels": [], "binary": [], "probe": PROBE}
        for i, (name, data) in enumerate(wheels.items()):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                z.extractall(work / "wheels" / str(i))
            plan["wheels"].append({"dir": f"wheels/{i}", "keep_source": name in keep_source})
        for name, data in binary.items():
            (work / name).write_bytes(data)
            plan["binary"].append(name)
        (work / "plan.json").write_text(json.dumps(plan))
        result = subprocess.run(["node", str(HERE / "compile_bytecode.js"), str(sources.pyodide_core()), str(work)],
                                check=True, capture_output=True, text=True)
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        if not summary["probed"]:
            print("nnweb: the import probe failed, so every module was compiled:\n" + result.stderr, flush=True)
        store.mkdir(parents=True, exist_ok=True)
        out = {}
        for i, (name, data) in enumerate(wheels.items()):
            out[name] = _repack(work / "wheels" / str(i), name in keep_source)
            (store / name).write_bytes(out[name])
    if summary["probed"]:
        print(f"nnweb: {summary['compiled']} modules compiled", flush=True)
    return out
