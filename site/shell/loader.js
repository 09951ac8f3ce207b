// nnweb page loader (main thread): starts the Python worker, shows real loading progress,
// renders the Bokeh document the worker sends, and relays document changes both ways.
// Python never runs on this thread, so training cannot freeze the page.
"use strict";
(function () {
  const script = document.getElementById("nnweb-loader");
  const base = new URL(".", document.baseURI).href;  // works under any sub-path
  const $ = (id) => document.getElementById(id);
  const setState = (s) => { document.body.dataset.nnwebState = s; };
  let worker = null;
  let jsdoc = null;
  let patching = 0;
  let busy = false;
  let queue = [];
  // This script and BokehJS are deferred, this one first: the worker starts before BokehJS is
  // evaluated (~0.3 s of this thread). Drawing waits for it: deferred scripts have all run by
  // DOMContentLoaded.
  const bokehLoaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else document.addEventListener("DOMContentLoaded", resolve, { once: true });
  }).then(() => {
    if (typeof Bokeh === "undefined") throw new Error("BokehJS failed to load (a script file is missing). Reload, or rebuild the site.");
  });

  function progress(fraction, stage) {
    $("nnweb-progress").value = Math.round(100 * Math.min(1, Math.max(0, fraction)));
    if (stage) $("nnweb-stage").textContent = stage;
  }

  function fail(message) {
    if (document.body.dataset.nnwebState === "error") return;  // the first reason is the one to show
    if (worker) worker.terminate();  // whatever it would still send could only overwrite the reason
    removePreview();
    setState("error");
    $("nnweb-loading").hidden = false;
    $("nnweb-progress").hidden = true;
    $("nnweb-stage").textContent = "nnweb could not start.";
    $("nnweb-error-text").textContent = message;
    $("nnweb-error").hidden = false;
    console.warn("nnweb: " + message);
  }
  $("nnweb-reload").addEventListener("click", () => window.location.reload());

  // A problem with one change: say so in plain words, keep the app running.
  let noticeTimer = null;
  function notice(message, info) {
    const box = $("nnweb-notice");
    $("nnweb-notice-text").textContent = info ? message : "That change could not be applied: " + message;
    box.classList.toggle("nnweb-info", Boolean(info));
    box.hidden = false;
    clearTimeout(noticeTimer);
    if (info) noticeTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }
  $("nnweb-notice-close").addEventListener("click", () => { $("nnweb-notice").hidden = true; });

  function sendChange(event) {
    if ((event.setter_id != null && event.setter_id === "py") || patching > 0) return;
    if (busy && event.model && event.attr) {  // coalesce: keep only the newest value per attribute
      queue = queue.filter((e) => !(e.model === event.model && e.attr === event.attr));
      queue.push(event);
      return;
    }
    busy = true;
    worker.postMessage({ type: "patch", patch: jsdoc.create_json_patch([event]) });
  }

  // Draw a document the worker rendered ({docs_json, render_items, root_ids}) into ``container``.
  async function embed(msg, container) {
    const docsJson = JSON.parse(msg.docs_json);
    const renderItems = JSON.parse(msg.render_items);
    const rootIds = JSON.parse(msg.root_ids);
    container.replaceChildren();
    const roots = {};
    for (const id of rootIds) {
      const el = document.createElement("div");
      el.id = container.id + "-root-" + id;
      el.style.display = "contents";
      container.appendChild(el);
      roots[id] = el.id;
    }
    renderItems[0].roots = roots;
    renderItems[0].root_ids = rootIds;
    const [views] = await Bokeh.embed.embed_items(docsJson, renderItems);
    return [...views.roots.values()];
  }

  // Second visits. The worker's first document depends only on the address (the link's
  // state, fresh weights from fixed seeds), so the one drawn last time for this address is
  // drawn again at once from the browser's cache while Python starts: the person sees the
  // experiment in about a second instead of after the whole start. It is inert (nothing to
  // click that could be lost) under a slim loading bar, and the live app replaces it.
  // One cache per build (the manifest's name carries its content hash); old builds' go.
  const PREVIEW_PREFIX = "nnweb-preview:";
  const PREVIEW_KEEP = 12;  // addresses remembered per build
  const previewCacheName = PREVIEW_PREFIX + script.dataset.manifest;
  const previewKey = new URL("nnweb-preview?" + new URLSearchParams(
    { search: window.location.search, hash: window.location.hash }), base).href;
  let preview = null;  // {container, roots} while shown

  async function previewCache() {
    if (typeof caches === "undefined") return null;  // not a secure context: no preview
    try { return await caches.open(previewCacheName); } catch (err) { return null; }
  }

  async function showPreview() {
    try {
      const cache = await previewCache();
      const res = cache && await cache.match(previewKey);
      if (!res || jsdoc) return;
      const msg = await res.json();
      if (jsdoc) return;
      const container = document.createElement("div");
      container.id = "nnweb-preview";
      container.inert = true;
      container.setAttribute("aria-hidden", "true");
      document.body.insertBefore(container, $("nnweb-app"));
      const shown = { container: container, roots: [] };
      preview = shown;
      shown.roots = await embed(msg, container);
      if (preview !== shown) { discard(shown); return; }  // the live app came first
      if (document.body.dataset.nnwebState === "loading") setState("preview");
    } catch (err) {
      removePreview();  // a preview is a nicety: never an error
      console.warn("nnweb: no preview (" + err + ")");
    }
  }

  function discard(shown) {
    for (const view of shown.roots) {
      const doc = view.model.document;
      view.remove();
      const i = Bokeh.documents.indexOf(doc);
      if (i >= 0) Bokeh.documents.splice(i, 1);
    }
    shown.container.remove();
  }

  function removePreview() {
    if (preview) discard(preview);
    preview = null;
  }

  async function savePreview(msg) {
    try {
      const cache = await previewCache();
      if (!cache) return;
      const body = JSON.stringify({ docs_json: msg.docs_json, render_items: msg.render_items, root_ids: msg.root_ids });
      await cache.put(previewKey, new Response(body, { headers: { "Content-Type": "application/json" } }));
      const keys = await cache.keys();
      for (const old of keys.slice(0, Math.max(0, keys.length - PREVIEW_KEEP))) await cache.delete(old);
      for (const name of await caches.keys()) {
        if (name.startsWith(PREVIEW_PREFIX) && name !== previewCacheName) await caches.delete(name);
      }
    } catch (err) {
      console.warn("nnweb: the preview was not saved (" + err + ")");
    }
  }

  async function render(msg) {
    await bokehLoaded;
    const roots = await embed(msg, $("nnweb-app"));
    jsdoc = roots[0].model.document;
    removePreview();
    jsdoc.on_change(sendChange, false);
    worker.postMessage({ type: "rendered" });
    worker.postMessage({ type: "location", location: JSON.stringify(window.location) });
    $("nnweb-loading").hidden = true;
    setState("ready");
    savePreview(msg);
  }

  async function onMessage(event) {
    const msg = event.data;
    if (msg.type === "progress") {
      progress(msg.fraction, msg.stage);
    } else if (msg.type === "error") {
      fail(msg.message);
    } else if (msg.type === "notice") {
      notice(msg.message);
    } else if (msg.type === "render") {
      window.nnwebStamps = msg.stamps;
      try { await render(msg); } catch (err) { fail("The app could not be drawn: " + err); }
    } else if (msg.type === "patch") {
      try { patching += 1; jsdoc.apply_json_patch(msg.patch, msg.buffers); } finally { patching -= 1; }
    } else if (msg.type === "idle") {
      if (queue.length) {
        const patch = jsdoc.create_json_patch(queue);
        queue = [];
        worker.postMessage({ type: "patch", patch: patch });
      } else {
        busy = false;
      }
    }
  }

  // Keyboard: space = play/pause, s = step, r = reset (not while typing in a field).
  // The key goes to Python through a hidden text input of the app (css class nnweb-keys).
  const KEYS = { " ": " ", "s": "s", "r": "r", "S": "s", "R": "r" };
  document.addEventListener("keydown", (event) => {
    if (!jsdoc || event.ctrlKey || event.metaKey || event.altKey || !(event.key in KEYS)) return;
    const target = event.composedPath()[0];
    if (target && (["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(target.tagName) || target.isContentEditable)) return;
    const box = [...jsdoc.all_models].find((m) => Array.isArray(m.css_classes) && m.css_classes.includes("nnweb-keys"));
    if (!box) return;
    event.preventDefault();
    box.value = KEYS[event.key] + ":" + Date.now();
  });

  // Embedding. The one thing nnweb ever tells the page that embeds it: its content height,
  // as {type: "nnweb:resize", height} (a number of CSS pixels), so the host may size the
  // iframe. Nothing else is posted, and no message from the parent is ever read.
  const SANDBOX = "allow-scripts allow-same-origin allow-downloads";
  function announceHeight() {
    if (window.parent === window) return;
    let last = 0;
    new ResizeObserver(() => {
      const height = Math.ceil(document.documentElement.scrollHeight);
      if (height !== last) {
        last = height;
        window.parent.postMessage({ type: "nnweb:resize", height: height }, "*");
      }
    }).observe(document.body);
  }

  // Copy link / embed code: built here from the address, which Python keeps current.
  function embedCode(href) {
    const url = new URL(href);
    url.search = "?embed";
    return `<iframe src="${url.href}" width="100%" height="720" style="border:0" loading="lazy" ` +
           `sandbox="${SANDBOX}" title="nnweb neural-network playground"></iframe>`;
  }
  async function copy(text, what) {
    document.body.dataset.nnwebCopied = text;  // also readable by tests
    try {
      await navigator.clipboard.writeText(text);
      notice(what + " copied to the clipboard.", true);
    } catch (err) {
      notice("Copy this " + what.toLowerCase() + ": " + text, true);
    }
  }
  document.addEventListener("click", (event) => {
    const path = event.composedPath();
    const has = (cls) => path.some((el) => el.classList && el.classList.contains(cls));
    const link = window.location.href.replace(/[?]embed[^#]*/, "");
    if (has("nnweb-copy-link")) copy(link, "Link");
    else if (has("nnweb-copy-embed")) copy(embedCode(link), "Embed code");
  });

  async function start() {
    setState("loading");
    if (new URLSearchParams(window.location.search).has("embed")) document.body.classList.add("nnweb-embed");
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      fail("This browser cannot run WebAssembly in a Web Worker, which nnweb needs to run Python. " +
           "Please try a current Firefox, Chrome, Edge or Safari.");
      return;
    }
    if (window.origin === "null") {  // a sandboxed iframe without allow-same-origin
      fail("nnweb is embedded in a sandboxed frame that gives it no origin, so it cannot start its " +
           `Python worker. The embedding page should use sandbox="${SANDBOX}".`);
      return;
    }
    // Created before this script returns, so before any deferred BokehJS runs; the worker
    // reads the load manifest itself.
    try {
      worker = new Worker(new URL(script.dataset.worker, base));
    } catch (err) {
      fail("The browser refused to start nnweb's Python worker (" + err.message + ").");
      return;
    }
    announceHeight();
    worker.onmessage = onMessage;
    worker.onerror = (e) => fail("The Python worker stopped: " + (e.message || "unknown error"));
    worker.postMessage({ type: "start", base: base, manifest: script.dataset.manifest, hash: window.location.hash,
                         search: window.location.search });
    window.nnweb = { worker: worker };
    bokehLoaded.then(showPreview, (err) => fail(err.message));  // the preview: while Python loads
  }

  start();
})();
