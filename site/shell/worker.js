// nnweb Python worker: downloads the runtime and wheels once (with byte-accurate progress),
// starts Pyodide on them, runs the Panel app and exchanges Bokeh document patches with the page.
"use strict";
let pyodide = null;
let app = null;  // nnweb.app.browser's entry points, once the page has drawn the document
const downloads = new Map();  // absolute URL -> Promise<{bytes, type}>

// [stage, ms since the worker started]: the benchmark reads them (with the worker's clock
// origin, so that they line up with the page's) to say where a load's time went.
const stamps = [];
function stamp(name) { stamps.push([name, performance.now()]); }
self.nnwebStamp = stamp;  // Python's phases too (nnweb/app/browser.py render)
function post(type, data) {
  if (type === "progress" && data.stage && !data.stage.startsWith("Downloading")) stamp(data.stage);
  if (type === "render") {
    stamp("render");
    data.stamps = stamps.slice();
    data.origin = performance.timeOrigin;
  }
  self.postMessage(Object.assign({ type: type }, data));
}

function contentType(url) {
  if (url.endsWith(".wasm")) return "application/wasm";
  if (url.endsWith(".json")) return "application/json";
  if (url.endsWith(".js")) return "text/javascript";
  return "application/octet-stream";
}

// Start every download at once; progress counts bytes against the sizes in the manifest.
function prefetch(base, files, onBytes) {
  for (const [rel] of files) {
    const url = new URL(rel, base).href;
    downloads.set(url, (async () => {
      const res = await self.__nnwebFetch(url);
      if (!res.ok) throw new Error(`Could not load ${rel} (HTTP ${res.status}).`);
      const reader = res.body.getReader();
      const chunks = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        onBytes(value.length);
      }
      return { bytes: new Blob(chunks), type: contentType(url) };
    })());
  }
}

// Pyodide fetches through the global fetch: serve it the bytes already downloading.
self.__nnwebFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  // Pyodide passes URL objects; a Request carries its URL in .url
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  const pending = downloads.get(url);
  // The runtime's .wasm goes to the network stack (its prefetch has filled the HTTP cache, so
  // it is not downloaded twice): only a real response lets Chromium keep its compiled code.
  if (!pending || url.endsWith(".wasm")) return self.__nnwebFetch(input, init);
  const { bytes, type } = await pending;
  if (init && init.integrity) await checkIntegrity(url, bytes, init.integrity);
  return new Response(bytes, { status: 200, headers: { "Content-Type": type } });
};

// Pyodide asks for every wheel with the lock file's sha256 (subresource integrity); bytes
// served from the prefetch must pass the same check a plain fetch would make.
async function checkIntegrity(url, blob, integrity) {
  const expected = integrity.replace(/^sha256-/, "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  if (btoa(String.fromCharCode(...digest)) !== expected) {
    const name = url.split("/").pop();
    throw new Error(`${name} is damaged: its SHA-256 does not match the lock file (a corrupted ` +
                    "download or cache). Reload; if it happens again, the site needs to be rebuilt.");
  }
}

// Panel would build this helper with eval (pyodide.code.run_js); the site's CSP has no
// 'unsafe-eval', so it is defined here and nnweb/app/browser.py hands it to Panel.
// Same body as Panel 1.9's _dict_converter: undefined values become null.
self.nnwebDictConverter = (entries) => {
  for (const entry of entries) {
    if (entry[1] === undefined) entry[1] = null;
  }
  return Object.fromEntries(entries);
};

function sendPatch(patch, buffers) { post("patch", { patch: patch, buffers: buffers }); }

// Pyodide 0.27.7 runs every asyncio callback through its stack-switching path when the browser
// has JSPI (Chromium 137 on), and that path leaks WebAssembly stack (pyodide#6249, fixed after
// 0.27): measured here, 64 bytes a training frame, so the 5 MB stack ran out after ~80,000
// frames and Python failed half an hour into a run. nnweb never suspends Python on a JS promise
// (no run_sync), so Pyodide is started as on a browser without JSPI: it looks for these names.
function hideStackSwitching() {
  for (const name of ["Suspending", "Suspender"]) delete WebAssembly[name];
}

// Second visits: Python as it was right after it started (interpreter up, the standard
// library modules the app needs imported, no package loaded yet) is kept as a memory snapshot
// (Pyodide 0.27's makeMemorySnapshot / _loadSnapshot) in the browser's Cache, one per build
// and address of the site (the snapshot holds the environment, and so the site's URL).
// Restoring it skips the interpreter's start. Only then: packages are not in it (a loaded
// extension module, numpy's, lives outside the memory a snapshot holds), and they install as
// on a first visit. A snapshot that cannot be read or restored is dropped, and Python starts
// the normal way: a snapshot can only ever save time, never break the page.
const SNAPSHOT_PREFIX = "nnweb-snapshot:";
// Imported before the snapshot is taken: pure standard library that Panel and Bokeh import
// anyway and that touches no JavaScript object (a snapshot cannot hold a reference to one).
// (Each of these is imported by the app in CPython too: a first visit pays nothing extra.)
const SNAPSHOT_IMPORTS = "import json, re, typing, dataclasses, inspect, ast, enum, functools, collections, " +
  "datetime, logging, textwrap, string, html, weakref, copy, pathlib, zipfile, " +
  "urllib.parse, importlib.metadata, email.parser, uuid, hashlib, base64, contextlib, numbers, difflib";

async function snapshotStore(base, manifestPath) {
  if (typeof caches === "undefined") return null;
  try {
    const cache = await caches.open(SNAPSHOT_PREFIX + manifestPath);
    return { cache: cache, key: new URL("nnweb-snapshot", base).href, manifestPath: manifestPath };
  } catch (err) {
    return null;
  }
}

// Pyodide hangs, rather than fails, on a snapshot whose memory is too small, so bytes are
// only restored if their SHA-256 is the one saved with them (damaged or foreign bytes never are).
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
const DIGEST_HEADER = "X-Nnweb-Sha256";

async function savedSnapshot(store) {
  const res = await store.cache.match(store.key);
  if (!res) return null;
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.headers.get(DIGEST_HEADER) !== await sha256Hex(bytes)) throw new Error("its checksum does not match");
  return bytes;
}

let snapshotInUse = null;  // the store whose snapshot this Python came from (forgotten if Python breaks)
function forgetSnapshot() {
  if (snapshotInUse) snapshotInUse.cache.delete(snapshotInUse.key).catch(() => {});
  snapshotInUse = null;
}

async function startPython(options, base, manifestPath) {
  const store = await snapshotStore(base, manifestPath);
  if (store) {
    try {
      const bytes = await savedSnapshot(store);
      if (bytes) {
        const py = await loadPyodide({ ...options, _loadSnapshot: bytes });
        py.runPython("import sys");  // alive: a broken snapshot fails here, not in the app
        stamp("Python restored from the snapshot");
        snapshotInUse = store;
        return py;
      }
    } catch (err) {
      console.warn("nnweb: the saved snapshot of Python could not be used (" + err + "); starting it anew");
      await store.cache.delete(store.key).catch(() => {});
    }
  }
  const py = await loadPyodide({ ...options, _makeSnapshot: store !== null });
  stamp("Python started");
  if (store) saveSnapshot(py, store);
  return py;
}

function saveSnapshot(py, store) {
  let bytes;
  try {
    py.runPython(SNAPSHOT_IMPORTS);
    stamp("standard library imported");
    bytes = py.makeMemorySnapshot();
    stamp("snapshot taken");
  } catch (err) {
    console.warn("nnweb: no snapshot of Python (" + err + ")");
  } finally {
    // To take a snapshot, Pyodide hands Python the worker's globals wrapped in proxies that
    // record where each object came from; from here on Python gets the plain ones (with the
    // proxies, pyodide_http's patching failed and Panel then asked for pandas).
    py.registerJsModule("js", self);
  }
  if (!bytes) return;
  (async () => {
    const headers = { "Content-Type": "application/octet-stream", [DIGEST_HEADER]: await sha256Hex(bytes) };
    await store.cache.put(store.key, new Response(bytes, { headers: headers }));
    for (const name of await caches.keys()) {
      if (name.startsWith(SNAPSHOT_PREFIX) && name !== SNAPSHOT_PREFIX + store.manifestPath) await caches.delete(name);
    }
  })().catch((err) => console.warn("nnweb: the snapshot of Python was not saved (" + err + ")"));
}

// The page's first picture has the CPU first. Python's start (compiling the 8 MB WebAssembly
// runtime, then the interpreter) and BokehJS drawing the picture on the page's thread shared a
// laptop's two cores: the picture came ~0.75 s later, and the app only ~0.3 s sooner. So
// Python starts when the page says "go": once its picture is drawn or has none to draw, or
// after ``pictureFirstMs`` (site/shell/loader.js PICTURE_FIRST_MS). The downloads, too, wait
// for the page: for its "download" (the picture's views are drawn) or for "go".
let go = null;
const mayStart = new Promise((resolve) => { go = resolve; });
let download = null;
const mayDownload = new Promise((resolve) => { download = resolve; });
mayStart.then(download);

async function start(base, manifestPath, hash, search, pictureFirstMs) {
  setTimeout(go, pictureFirstMs);  // on this thread: the page's timers wait behind its drawing
  let manifest;  // what to download and load; the page names it (its file name is its hash)
  try {
    const res = await self.__nnwebFetch(new URL(manifestPath, base));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    manifest = await res.json();
  } catch (err) {
    throw new Error(`Could not load ${manifestPath} (${err.message}).`);
  }
  const total = manifest.files.reduce((sum, [, size]) => sum + size, 0);
  let received = 0;
  const DOWNLOAD_SHARE = 0.6;
  await mayDownload;
  stamp("downloads started");
  prefetch(base, manifest.files, (n) => {
    received += n;
    post("progress", { fraction: DOWNLOAD_SHARE * received / total,
                       stage: `Downloading Python and packages… ${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB` });
  });
  const all = Promise.all(downloads.values());
  all.then(() => stamp("downloads done"), () => {});
  const failed = all.then(() => new Promise(() => {}));
  await Promise.race([failed, mayStart]);
  stamp("page let Python start");
  const indexURL = new URL("pyodide/", base).href;
  hideStackSwitching();
  importScripts(indexURL + "pyodide.js");
  stamp("pyodide.js evaluated");
  post("progress", { fraction: DOWNLOAD_SHARE * received / total, stage: "Starting Python (WebAssembly)…" });
  const options = {
    indexURL: indexURL,
    lockFileURL: new URL(manifest.lockFile, base).href,
    env: { PANEL_CDN_ROOT: new URL(manifest.panelCdnRoot, base).href, HOME: "/home/pyodide" },
  };
  pyodide = await Promise.race([failed, startPython(options, base, manifestPath)]);
  post("progress", { fraction: 0.7, stage: "Installing packages…" });
  const problems = [];
  await pyodide.loadPackage(manifest.packages, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  if (problems.length) throw new Error(problems.join(" "));
  post("progress", { fraction: 0.8, stage: "Importing Panel, Bokeh and the app…" });
  pyodide.globals.set("initial_hash", hash || "");
  pyodide.globals.set("initial_search", search || "");
  const [docsJson, renderItems, rootIds] = await pyodide.runPythonAsync(
    "from nnweb.app.browser import render\nawait render(initial_hash, initial_search)");
  post("progress", { fraction: 0.95, stage: "Drawing…" });
  post("render", { docs_json: docsJson, render_items: renderItems, root_ids: rootIds });
}

// Before the app runs, any error is fatal (the error screen). Afterwards an error in one
// change is reported as a notice and the app goes on; each distinct message is logged once.
// If Python itself broke (Pyodide marks such errors, e.g. running out of memory), nothing can
// go on: the page gets the error screen, whose Reload restores the state from the URL.
const logged = new Set();
let broken = false;
function reportError(err, fatal) {
  if (broken) return;
  if (err && err.pyodide_fatal_error) {
    broken = true;
    forgetSnapshot();  // if the snapshot was at fault, Reload must not restore it again
    fatal = true;
    err = "Python stopped working in this tab (" + String(err.message || err).split("\n").pop() +
          "). Reload to continue from the link.";
  }
  const text = String((err && err.message) || err);
  const lines = text.trim().split("\n");
  const message = lines[lines.length - 1];
  post(fatal ? "error" : "error-notice", { message: message });
  if (!logged.has(message)) {
    logged.add(message);
    console.warn(text);
  }
}

// Python's own loop (training) runs outside any message: its errors arrive here. An ordinary
// error is a notice; Python itself failing reaches the page's error screen (Reload restores
// the link) instead of leaving a page that looks alive but no longer answers.
self.addEventListener("unhandledrejection", (event) => reportError(event.reason, false));
self.addEventListener("error", (event) => reportError(event.error || event.message, false));

self.onmessage = async (event) => {
  const msg = event.data;
  const fatal = msg.type === "start";
  try {
    if (msg.type === "start") {
      await start(msg.base, msg.manifest, msg.hash, msg.search, msg.pictureFirstMs ?? 0);
    } else if (msg.type === "go") {
      go();
    } else if (msg.type === "download") {
      download();
    } else if (msg.type === "rendered") {
      // Called directly, not through runPythonAsync: each message is handled whole before the next.
      const browser = pyodide.pyimport("nnweb.app.browser");
      app = { applyPatch: browser.apply_patch, syncLocation: browser.sync_location, inspect: browser.inspect,
              pageVisible: browser.page_visible, pause: browser.pause };
      browser.link_document(sendPatch);
    } else if (msg.type === "patch") {
      const refused = app.applyPatch(msg.patch);
      try { for (const reason of refused) post("notice", { message: reason }); } finally { refused.destroy(); }
    } else if (msg.type === "visible") {  // an embed scrolled out of view, or back (loader.js)
      app.pageVisible(msg.visible);
    } else if (msg.type === "pause") {  // another embed on the page started training
      app.pause();
    } else if (msg.type === "location") {
      app.syncLocation(msg.location);
    } else if (msg.type === "inspect") {  // what Python holds, for the page's tests (nothing yet: an answer still)
      post("inspected", { id: msg.id, state: app ? app.inspect() : JSON.stringify({ live: false }) });
    }
  } catch (err) {
    reportError(err, fatal);
  } finally {
    // Every patch is acknowledged, applied or not (a failure was reported above): the page
    // sends its next changes only then, and says so if Python stops answering.
    if (msg.type === "patch") post("applied", { seq: msg.seq });
  }
};
