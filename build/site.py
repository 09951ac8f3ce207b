"""Build the static, self-hosted nnweb site into site/ and optionally serve it.

    python3 build/site.py            # build site/
    python3 build/site.py --serve    # build, then serve on http://127.0.0.1:8000/

Needs only Python's standard library, pip and npm (to fill the download cache once).
Layout of the generated site (all git-ignored except site/shell/):
    index.html                      from site/shell/index.html, asset names filled in
    assets/<name>.<hash>.js|css     the hand-written loader, worker and style
    pyodide/                        runtime, stdlib, every wheel and our lock file
    bokeh/, panel/<version>/dist/   BokehJS and Panel's JS/CSS from the pinned wheels
    prerender/<page>.<hash>.json.gz the first pictures: default page, every demonstration, embeds (build/prerender.py)
    examples/index.html             the example post, from site/shell/examples/ (its embeds' links filled in)
Every file that can change between deploys carries a content hash in its name, so a
browser never runs a stale worker against a new bundle.
"""
from __future__ import annotations

import argparse
import hashlib
import html as html_lib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import bytecode
import csp
import pins
import prerender as prerender_script
import sources

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SHELL = SITE / "shell"
PYODIDE_CORE_FILES = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def write(rel: str, data: bytes) -> str:
    path = SITE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


def hashed(rel: str, data: bytes) -> str:
    """Write ``data`` as ``stem.<hash>.ext`` and return that relative path."""
    stem, _, ext = rel.rpartition(".")
    return write(f"{stem}.{short_hash(data)}.{ext}", data)


def nnweb_wheel() -> tuple[str, bytes]:
    """nnweb itself (engine + app) as a pure wheel, its version tagged with a content hash."""
    files = {}
    for path in sorted((ROOT / "nnweb").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".gz"):
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    digest = short_hash(b"".join(k.encode() + v for k, v in sorted(files.items())))
    version = f"0.1.0+{digest}"
    return f"nnweb-{version}-py3-none-any.whl", sources._wheel("nnweb", version, files)


def canonical(name: str) -> str:
    """PEP 503 name: Pyodide looks packages up by it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_entry(name: str, version: str, file_name: str, data: bytes, imports: list[str],
               depends: list[str]) -> dict:
    return {"name": name, "version": version, "file_name": file_name, "install_dir": "site",
            "sha256": sources.sha256(data), "package_type": "package", "imports": imports,
            "depends": depends, "unvendored_tests": False, "shared_library": False}


def prerender(extra: list[tuple[str, str]]) -> dict:
    """The first pictures (build/prerender.py), drawn in a fresh CPython process so that their
    model ids, and so their bytes, are the same every build; ``extra``: (search, demonstration)
    pairs that a page of the site embeds. Returns {"files": {address key: file name}, "links":
    {demonstration: its hash}}."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    args = [f"{search}:{key}" for search, key in extra]
    result = subprocess.run([sys.executable, str(ROOT / "build" / "prerender.py"), str(SITE / "prerender"), *args],
                            env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"nnweb: prerendering the first pictures failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# In the example post, {{nnweb:PRESET?embed=...}} is an embed's address and {{nnweb-app:PRESET}}
# the full app's, both relative to examples/: written by hand, they would go stale whenever a
# demonstration's settings change
POST_EMBED = re.compile(r"\{\{nnweb:([a-z0-9-]+)(\?[^}]*)\}\}")
POST_APP = re.compile(r"\{\{nnweb-app:([a-z0-9-]+)\}\}")


def post_embeds(text: str) -> list[tuple[str, str]]:
    """The (search, demonstration) pairs the example post embeds, in order."""
    return [(search, key) for key, search in POST_EMBED.findall(text)]


def example_post(links: dict[str, str]) -> None:
    """site/shell/examples/ -> site/examples/: the post, its own style and host script (hashed)."""
    source = SHELL / "examples"
    style = hashed("examples/post.css", (source / "post.css").read_bytes()).removeprefix("examples/")
    script = hashed("examples/post.js", (source / "post.js").read_bytes()).removeprefix("examples/")
    text = (source / "index.html").read_text()
    missing = sorted(({key for key, _ in POST_EMBED.findall(text)} | set(POST_APP.findall(text))) - set(links))
    if missing:
        raise SystemExit(f"nnweb: the example post names demonstrations that do not exist: {missing}")
    text = POST_EMBED.sub(lambda m: html_lib.escape(f"../{m.group(2)}#{links[m.group(1)]}"), text)
    text = POST_APP.sub(lambda m: html_lib.escape(f"../#{links[m.group(1)]}"), text)
    text = text.replace("{{CSP}}", csp.POST_POLICY).replace("{{STYLE}}", style).replace("{{SCRIPT}}", script)
    write("examples/index.html", text.encode())


def build() -> dict:
    print("nnweb: building site/ ...", flush=True)
    for child in SITE.iterdir():
        if child.name != "shell":
            shutil.rmtree(child) if child.is_dir() else child.unlink()

    # 1. Pyodide runtime and the official packages the app needs (sha256-verified).
    core = sources.pyodide_core()
    for name in PYODIDE_CORE_FILES:
        write(f"pyodide/{name}", (core / name).read_bytes())
    official = sources.official_lock()
    packages = {}
    binary = {}  # file name -> wheel: the app imports numpy from them when bytecode is compiled
    for name, data in sources.pyodide_package_files(pins.PYODIDE_PACKAGES).items():
        entry = dict(official["packages"][name])
        write(f"pyodide/{entry['file_name']}", data)
        packages[name], binary[entry["file_name"]] = entry, data

    # 2. Pure-Python wheels, and nnweb's own, as Python 3.12 bytecode (build/bytecode.py).
    #    nnweb depends on all of them, so loading "nnweb" fetches every wheel in parallel
    #    while the runtime starts.
    pure = {}  # file name -> (distribution, version, import names, wheel bytes)
    for dist, version, imports in pins.PURE_WHEELS:
        path = sources.pure_wheels()[dist]
        drop = pins.WHEEL_DROP.get(dist)
        pure[path.name] = (dist, version, imports, sources.slim_wheel(path, drop) if drop else path.read_bytes())
    for name, (file_name, data) in sources.pure_from_sdist().items():
        imports = next(i for n, _, _, i in pins.PURE_FROM_SDIST if n == name)
        pure[file_name] = (name, file_name.split("-")[1], imports, data)
    own_name, own_data = nnweb_wheel()
    compiled = bytecode.compile_wheels({**{n: w[3] for n, w in pure.items()}, own_name: own_data},
                                       keep_source=frozenset([own_name]), binary=binary)
    for file_name, (dist, version, imports, _) in pure.items():
        write(f"pyodide/{file_name}", compiled[file_name])
        packages[canonical(dist)] = lock_entry(dist, version, file_name, compiled[file_name], imports, [])
    write(f"pyodide/{own_name}", compiled[own_name])
    packages["nnweb"] = lock_entry("nnweb", own_name.split("-")[1], own_name, compiled[own_name], ["nnweb"],
                                   sorted(packages))
    lock = {"info": official["info"], "packages": packages}
    lock_path = hashed("pyodide/pyodide-lock.json", json.dumps(lock, indent=1, sort_keys=True).encode())

    # 3. BokehJS and Panel's JS/CSS, extracted from the very wheels the worker installs.
    wheels = sources.pure_wheels()
    bokeh_version = next(v for d, v, _ in pins.PURE_WHEELS if d == "bokeh")
    panel_version = next(v for d, v, _ in pins.PURE_WHEELS if d == "panel")
    bokeh_js = sources.extract(wheels["bokeh"], "bokeh/server/static/js/")
    scripts = [write(f"bokeh/{name}-{bokeh_version}.min.js", bokeh_js[f"{name}.min.js"])
               for name in pins.BOKEH_JS]
    panel_dist = sources.extract(wheels["panel"], "panel/dist/")
    panel_root = f"panel/{panel_version}/dist"
    for rel, blob in panel_dist.items():
        if rel in ("panel.min.js",) or rel.startswith(("css/", "bundled/theme/")):
            write(f"{panel_root}/{rel}", blob)
    scripts.append(f"{panel_root}/panel.min.js")

    # 4. The hand-written shell, with asset names and the load manifest filled in.
    worker = hashed("assets/worker.js", (SHELL / "worker.js").read_bytes())
    style = hashed("assets/style.css", (SHELL / "style.css").read_bytes())
    write("favicon.svg", (SHELL / "favicon.svg").read_bytes())
    manifest = {
        "pyodideVersion": pins.PYODIDE_VERSION,
        "lockFile": lock_path,
        "packages": ["nnweb"],
        "panelCdnRoot": "panel/",
        # files the worker downloads, with sizes, for a byte-accurate progress bar
        "files": [[f"pyodide/{n}", (SITE / "pyodide" / n).stat().st_size] for n in PYODIDE_CORE_FILES]
        + [[f"pyodide/{p['file_name']}", (SITE / "pyodide" / p["file_name"]).stat().st_size]
           for p in packages.values()],
    }
    manifest_path = hashed("assets/manifest.json", json.dumps(manifest, indent=1).encode())
    loader = hashed("assets/loader.js", (SHELL / "loader.js").read_bytes())
    outbox = hashed("assets/outbox.js", (SHELL / "outbox.js").read_bytes())
    accessibility = hashed("assets/accessibility.js", (SHELL / "accessibility.js").read_bytes())
    started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    pictures = prerender(post_embeds((SHELL / "examples" / "index.html").read_text()))
    prerendered = {key: f"prerender/{name}" for key, name in pictures["files"].items()}
    sizes = sum((SITE / rel).stat().st_size for rel in prerendered.values())
    print(f"nnweb: {len(prerendered)} first pictures prerendered in {time.perf_counter() - started:.1f} s "
          f"({resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu:.1f} s of CPU), "
          f"{sizes / 1e6:.2f} MB", flush=True)
    example_post(pictures["links"])
    html = (SHELL / "index.html").read_text()
    # added by the loader, not by the page: in a blog post's frame BokehJS is evaluated only
    # once the frame is on screen or touched (site/shell/loader.js loadBokeh)
    html = (html.replace("{{STYLE}}", style).replace("{{BOKEH_SCRIPTS}}", html_lib.escape(json.dumps(scripts)))
            .replace("{{LOADER}}", loader).replace("{{OUTBOX}}", outbox).replace("{{ACCESSIBILITY}}", accessibility).replace("{{MANIFEST}}", manifest_path).replace("{{WORKER}}", worker)
            .replace("{{CSP}}", csp.POLICY).replace("{{PRERENDERED}}", html_lib.escape(json.dumps(prerendered)))
            .replace("{{PRERENDER_PANEL_ROOT}}", prerender_script.PANEL_ROOT))
    write("index.html", html.encode())
    total = sum(p.stat().st_size for p in SITE.rglob("*") if p.is_file() and SHELL not in p.parents)
    print(f"nnweb: site/ built: {total / 1e6:.1f} MB, Pyodide {pins.PYODIDE_VERSION}, "
          f"{len(packages)} packages", flush=True)
    return manifest


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve site/ after building it")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-build", action="store_true", help="serve the existing site/")
    args = parser.parse_args(argv)
    if not args.no_build:
        build()
    if args.serve:
        import serve
        serve.serve_forever(SITE, port=args.port)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
