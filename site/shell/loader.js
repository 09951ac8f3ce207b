// nnweb page loader (main thread): starts the Python worker, shows real loading progress,
// renders the Bokeh document the worker sends, and relays document changes both ways.
// Python never runs on this thread, so training cannot freeze the page.
"use strict";
(function () {
  const script = document.getElementById("nnweb-loader");
  // One page, one loader, one Python worker. This file may only run as the page's own
  // <script id="nnweb-loader">, once: a copy of the tag smuggled into the page (the CSP allows
  // the site's own files) would otherwise start another worker each time it ran.
  if (document.currentScript !== script || window.nnwebLoaderStarted) {
    console.warn("nnweb: a second copy of the loader was refused");
    return;
  }
  Object.defineProperty(window, "nnwebLoaderStarted", { value: true, writable: false, configurable: false });
  const base = new URL(".", document.baseURI).href;  // works under any sub-path
  const $ = (id) => document.getElementById(id);
  const setState = (s) => { document.body.dataset.nnwebState = s; };
  let worker = null;
  let jsdoc = null;
  let outbox = null;  // the page's changes on their way to Python (outbox.js)
  let patching = 0;
  // When the page reached each step of a load (its own clock); the benchmark lines them up
  // with the worker's stamps (site/shell/worker.js) to say where the time went.
  window.nnwebPageStamps = [];
  const pageStamp = (name) => window.nnwebPageStamps.push([name, performance.now()]);
  // BokehJS and Panel's JS (2.7 MB; ~0.3 s of this thread to evaluate, and drawing a first
  // picture ~0.6-1 s more) are added by this script, asked for before the worker's downloads. A page
  // loads them at once; an embed in a blog post once it is on screen (or Python starts): a
  // post of six embeds evaluated and drew all six at once, and the one on screen showed its
  // picture after 3.1-3.4 s. Not on idle (drawn in the pauses of the visible one's loading, it
  // took 3.6 s), nor half a screen ahead (the next one came along: 2.2 s). In order, downloaded
  // in parallel.
  const BOKEH_SCRIPTS = JSON.parse(script.dataset.bokeh || "[]");
  let bokehLoading = null;
  function loadBokeh() {
    if (!bokehLoading) {
      bokehLoading = new Promise((resolve, reject) => {
        let left = BOKEH_SCRIPTS.length;
        if (!left) resolve();
        for (const src of BOKEH_SCRIPTS) {
          const el = document.createElement("script");
          el.src = new URL(src, base).href;
          el.async = false;  // executed in the order given
          el.onload = () => { if (--left === 0) resolve(); };
          el.onerror = () => reject(new Error(`BokehJS failed to load (${src} is missing). Reload, or rebuild the site.`));
          document.head.appendChild(el);
        }
      }).then(() => {
        if (typeof Bokeh === "undefined") throw new Error("BokehJS failed to load (a script file is missing). Reload, or rebuild the site.");
        pageStamp("BokehJS evaluated");
        stopPlayersOffScreen();
        tooltipsOnFirstShow();
        styleSheetsRewrittenOnlyWhenChanged();
      });
      bokehLoading.then(showPreview, (err) => fail(err.message));  // the first picture, while Python loads
    }
    return bokehLoading;
  }

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
  // If the link itself is what broke Python, Reload would open it again: this one opens the
  // default experiment (in the same layout, embedded or not) instead.
  $("nnweb-reload-default").addEventListener("click", () => {
    const url = new URL(window.location.href);
    url.hash = "";
    url.search = new URLSearchParams(url.search).has("embed") ? "?embed" : "";
    window.location.assign(url.href);
  });

  // A problem with one change, or news the person should see: in plain words, the app keeps
  // running. Information fades after a few seconds unless it lasts until answered.
  let noticeTimer = null;
  function notice(message, { info = false, lasting = !info } = {}) {
    const box = $("nnweb-notice");
    $("nnweb-notice-text").textContent = message;
    box.classList.toggle("nnweb-info", info);
    box.hidden = false;
    clearTimeout(noticeTimer);
    if (!lasting) noticeTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }
  $("nnweb-notice-close").addEventListener("click", () => { $("nnweb-notice").hidden = true; });

  // The bounds of a DataRange1d are computed here, from the data, after every redraw (and by
  // pan and zoom). Python never reads them: sending them back cost it a message a frame.
  const computedHere = (event) => event.model && event.model.type === "DataRange1d" &&
                                  (event.attr === "start" || event.attr === "end");

  function sendChange(event) {
    if ((event.setter_id != null && event.setter_id === "py") || patching > 0 || computedHere(event)) return;
    outbox.add(event);
  }

  // A patch from Python that adds or removes models: the page's list of models is brought up
  // to date at once. BokehJS would do it 30 s after the last patch, which never comes while
  // training, so views that had left the page (a hidden tab's player) kept sending changes.
  const hasRef = (value) => value !== null && typeof value === "object" &&
    (typeof value.id === "string" || Object.values(value).some(hasRef));
  function changesModels(patch) {
    return patch.events.some((e) => e.kind === "RootAdded" || e.kind === "RootRemoved" ||
                                    (e.kind === "ModelChanged" && hasRef(e.new)));
  }

  // A value from Python for a widget property the person changed since, and Python has not
  // applied yet, is older than what the page shows: Python applies the person's value next and
  // sends nothing back for it, so letting the older one in left the page showing it for good
  // (a neuron count typed while a demonstration's settings travelled).
  function withoutOlderValues(patch) {
    const mine = outbox.unapplied();
    if (!mine.size) return patch;
    const older = (e) => e.kind === "ModelChanged" && mine.has(e.model.id + ":" + e.attr) && !hasRef(e.new);
    return { ...patch, events: patch.events.filter((e) => !older(e)) };
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
  let previewNote = "";  // what the preview says once Python is starting

  async function previewCache() {
    if (typeof caches === "undefined") return null;  // not a secure context: no preview
    try { return await caches.open(previewCacheName); } catch (err) { return null; }
  }

  // First visits: the build drew the first picture of the default page, of every
  // demonstration's link and of the embeds (build/prerender.py); the page names those files by
  // a digest of their address (prerender.address_key). Any other address has none.
  const prerendered = JSON.parse(script.dataset.prerendered || "{}");
  async function addressKey(text) {
    if (!(window.crypto && crypto.subtle)) return null;  // not a secure context: no picture
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
    return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
  }
  const PRERENDER_PANEL_ROOT = script.dataset.prerenderPanelRoot;  // build/prerender.py PANEL_ROOT
  const address = window.location.search + (window.location.hash === "#" ? "" : window.location.hash);
  const PREVIEW_NOTES = {
    cache: "Drawn from your last visit: it comes alive as soon as Python has started.",
    build: "A first picture of the experiment: it comes alive as soon as Python has started.",
    waiting: "A first picture of the experiment: it starts when you scroll here, or click to start it now.",
  };

  async function previewMessage() {
    const cache = await previewCache();
    const res = cache && await cache.match(previewKey);
    if (res) return { msg: await res.json(), source: "cache" };
    const file = prerendered[await addressKey(address)];
    if (!file || typeof DecompressionStream !== "function") return null;
    const built = await fetch(new URL(file, base));
    if (!built.ok) return null;
    const text = await new Response(built.body.pipeThrough(new DecompressionStream("gzip"))).text();
    // Panel's stylesheets are named by absolute URL: the build wrote a placeholder for the
    // site's panel/ folder, and names it in the page
    const msg = JSON.parse(text.replaceAll(PRERENDER_PANEL_ROOT, new URL("panel/", base).href));
    return { msg: msg, source: "build" };
  }

  // Asked for at the start, beside BokehJS's scripts (it is drawn once they are evaluated)
  let previewFetch = null;
  function fetchPreview() {
    if (!previewFetch) previewFetch = previewMessage();
    return previewFetch;
  }

  // Python starts once the first picture is drawn (site/shell/worker.js: "go"), or there is
  // none to draw, or PICTURE_FIRST_MS after the worker was made at most (the worker's own
  // timer: one here waits behind the drawing's long task): a picture must never hold the app
  // back long. A desktop draws it within ~1.0-1.4 s; a slow phone's main thread does not, and
  // waiting for it there (3 s, CPU / 4) made the app ~1.5-2 s later.
  const PICTURE_FIRST_MS = 1500;
  let pythonMayStart = false;
  let previewSettled = false;  // drawn, or found to be none
  function letPythonStart() {
    if (pythonMayStart || !worker) return;
    pythonMayStart = true;
    worker.postMessage({ type: "go" });
  }
  // The worker's 21 MB of downloads wait for the picture's views too (or for "go", or for the
  // worker's own PICTURE_FIRST_MS): made beside BokehJS's evaluation and drawing, they shared
  // the page's two cores with it (the network stack, the HTTP cache's writes) and, on a real
  // link, its bandwidth; measured here, a cold embed's picture came 0.35-0.65 s later.
  let viewsDrawn = false;
  function letDownloadsStart() {
    viewsDrawn = true;
    if (worker) worker.postMessage({ type: "download" });
  }

  // After the next paint (a frame, then a task); a page in a background tab paints no frames
  const afterPaint = () => new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 250);
  });

  async function showPreview() {
    try {
      await drawPreview();
    } finally {
      previewSettled = true;
      letPythonStart();
    }
  }

  async function drawPreview() {
    try {
      const found = await fetchPreview();
      if (!found || jsdoc) return;
      pageStamp("first picture read");
      const msg = found.msg;
      document.body.dataset.nnwebPreview = found.source;
      previewNote = PREVIEW_NOTES[found.source];
      $("nnweb-preview-note").textContent = worker ? previewNote : PREVIEW_NOTES.waiting;
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
      document.body.dataset.nnwebPicture = msg.later ? "views" : "whole";
      pageStamp("first picture drawn");
      letDownloadsStart();
      if (msg.later) {  // the build's picture of a full page: its settings column, once the views are on screen
        await afterPaint();
        if (preview !== shown) return;
        shown.roots[0].model.document.apply_json_patch(JSON.parse(msg.later));
        await afterPaint();  // BokehJS builds the column's views in the patch's task: done by then
        if (preview !== shown) return;
        document.body.dataset.nnwebPicture = "whole";
        pageStamp("first picture's settings drawn");
      }
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

  // Panel 1.9's Player view keeps its animation timer when it is hidden or removed (a tab left
  // while the morph played), and the timer went on changing a widget that Python had already
  // taken off the page. Here a player stops ticking, silently, once it is not on screen; Python
  // pauses it too when its view is hidden (views/morph.py).
  function stopPlayersOffScreen() {
    const Player = Bokeh.Models.get("panel.models.widgets.Player");
    const View = Player && Player.prototype.default_view;
    if (!View || View.prototype.nnwebStopsOffScreen) return;
    const shown = (el) => el.isConnected && (typeof el.checkVisibility === "function" ? el.checkVisibility() : el.offsetParent !== null);
    for (const step of ["anim_step_forward", "anim_step_reverse"]) {
      const original = View.prototype[step];
      View.prototype[step] = function () {
        if (shown(this.el)) return original.call(this);
        clearInterval(this.timer);
        this.timer = null;
      };
    }
    const remove = View.prototype.remove;
    View.prototype.remove = function () {
      clearInterval(this.timer);
      this.timer = null;
      return remove.call(this);
    };
    View.prototype.nnwebStopsOffScreen = true;
  }

  // A help tooltip (the "?" beside a control) is drawn the first time it is shown. BokehJS
  // draws each one into the page's body as soon as its widget is drawn, styles and measures it,
  // and takes it out again because it is hidden: ~30 of them were ~0.26 s of a first picture.
  function tooltipsOnFirstShow() {
    const Tooltip = Bokeh.Models.get("Tooltip");
    const View = Tooltip && Tooltip.prototype.default_view;
    if (!View || View.prototype.nnwebDrawnWhenShown) return;
    const reposition = View.prototype._reposition;
    View.prototype._reposition = function () {
      if (!this._has_rendered && !this.model.visible) return;
      return reposition.call(this);
    };
    View.prototype.nnwebDrawnWhenShown = true;
  }

  // BokehJS 3.9 rewrites the text of each plot element's own style sheet at every paint
  // (InlineStyleSheet._update: its position and size, mostly the same text as before), and
  // each rewrite makes the browser parse it again and recalculate the styles of the whole
  // plot the next time anything reads a computed style, which BokehJS does a few lines later
  // (each visual's CSS variables, an axis's font size). Measured while circle 2-4-2-1 trained:
  // 1.05 s of 6 s of the page's thread spent there, the thread busy 0.73 of a core, time
  // taken from Python's worker on a laptop with other work. Writing only a changed text
  // gives the same page. (If BokehJS changes, the page only stays slower.)
  function styleSheetsRewrittenOnlyWhenChanged() {
    let Sheet;
    try {
      Sheet = Bokeh.require("core/dom").InlineStyleSheet;
    } catch (err) {
      return;
    }
    if (!Sheet || typeof Sheet.prototype._update !== "function" || Sheet.prototype.nnwebWritesChangesOnly) return;
    const update = Sheet.prototype._update;
    Sheet.prototype._update = function (text) {
      if (this.el.textContent !== text) update.call(this, text);
    };
    Sheet.prototype.nnwebWritesChangesOnly = true;
  }

  async function render(msg) {
    await loadBokeh();
    const roots = await embed(msg, $("nnweb-app"));
    jsdoc = roots[0].model.document;
    removePreview();
    outbox = window.nnwebCreateOutbox({
      post: (seq, patch) => worker.postMessage({ type: "patch", seq: seq, patch: patch }),
      serialize: (events) => jsdoc.create_json_patch(events),
      onStalled: (count) => {
        document.body.dataset.nnwebStalled = "true";
        notice(`Python has not answered for a few seconds; ${count} change${count === 1 ? "" : "s"} ` +
               "of yours will be applied when it does. If this lasts, reload the page.", { info: true, lasting: true });
      },
      onAnswered: () => {
        delete document.body.dataset.nnwebStalled;
        notice("Python is answering again: your changes were applied.", { info: true });
      },
      onUnsendable: (event, err) => notice("That change could not be sent to Python (" + err.message + "). Try again."),
    });
    keysBox = [...jsdoc.all_models].find((m) => Array.isArray(m.css_classes) && m.css_classes.includes("nnweb-keys"));
    if (keysBox) keysBox.__nnwebEveryValue = true;  // each key press counts, not only the last
    jsdoc.on_change(sendChange, false);
    worker.postMessage({ type: "rendered" });
    worker.postMessage({ type: "location", location: JSON.stringify(window.location) });
    if (embeds) embeds.live(jsdoc);
    for (const key of keptKeys.splice(0)) pressKey(key);  // pressed on the picture
    $("nnweb-loading").hidden = true;
    setState("ready");
    pageStamp("drawn");
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
    } else if (msg.type === "error-notice") {
      notice("That change could not be applied: " + msg.message);
    } else if (msg.type === "render") {
      window.nnwebStamps = msg.stamps;  // the worker's phases, for benchmarks/browser.py
      window.nnwebWorkerOrigin = msg.origin;
      pageStamp("render message");
      try { await render(msg); } catch (err) { fail("The app could not be drawn: " + err); }
    } else if (msg.type === "patch") {
      try {
        patching += 1;
        jsdoc.apply_json_patch(withoutOlderValues(msg.patch), msg.buffers);
        if (changesModels(msg.patch)) jsdoc._recompute_all_models();
      } finally {
        patching -= 1;
      }
      if (openLink) openLink.refresh();
      if (pointsTourAt(msg.patch)) requestAnimationFrame(scrollToTourTarget);
    } else if (msg.type === "applied") {
      outbox.acknowledged(msg.seq);
    } else if (msg.type === "inspected") {
      const answer = inspections.get(msg.id);
      inspections.delete(msg.id);
      if (answer) answer(JSON.parse(msg.state));
    }
  }

  // The tour's step outlines the part of the page it talks about (Python gives that part the
  // css class nnweb-tour-target, nnweb/app/guide.py); the page scrolls it into view. Only a
  // patch that moves the class looks for it (the walk goes through every shadow root).
  const TOUR_TARGET = "nnweb-tour-target";
  function pointsTourAt(patch) {
    return (patch.events || []).some((e) => e.attr === "css_classes" && Array.isArray(e.new) && e.new.includes(TOUR_TARGET));
  }
  function scrollToTourTarget() {
    const target = elementsWithClass(document.body, [TOUR_TARGET])[0];
    if (target) target.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // Keyboard: space = play/pause, s = step, r = reset (not while typing in a field).
  // The key goes to Python through a hidden text input of the app (css class nnweb-keys).
  const KEYS = { " ": " ", "s": "s", "r": "r", "S": "s", "R": "r" };
  const KEY_NAMES = { " ": "Play/Pause", "s": "Step", "r": "Reset" };
  let keysBox = null;  // the hidden text input of the app (found when it is drawn)
  let keyPresses = 0;
  const keptKeys = [];  // pressed while a picture (the build's, or last visit's) stood in for the app

  function pressKey(key) {
    if (keysBox) {
      keysBox.value = key + ":" + (++keyPresses);  // a new value each time: two presses are two changes
      return;
    }
    keptKeys.push(key);
    notice(`${KEY_NAMES[key]} is kept: it acts as soon as nnweb is live (Python is starting).`, { info: true });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !(event.key in KEYS)) return;
    if (!jsdoc && document.body.dataset.nnwebState !== "preview") return;
    const target = event.composedPath()[0];
    if (target && (["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(target.tagName) || target.isContentEditable)) return;
    event.preventDefault();
    pressKey(KEYS[event.key]);
  });

  // The picture (the build's, or last visit's) is inert: its Play, Step and Reset buttons are kept like their
  // keys; any other click on it says that the app is still starting (never a silent no-op).
  const PREVIEW_BUTTONS = { "nnweb-play": " ", "nnweb-step": "s", "nnweb-reset": "r" };
  function elementsWithClass(root, names, found = []) {
    for (const el of root.querySelectorAll("*")) {
      if (names.some((n) => el.classList.contains(n))) found.push(el);
      if (el.shadowRoot) elementsWithClass(el.shadowRoot, names, found);
    }
    return found;
  }
  const inside = (rect, x, y) => x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom;
  document.addEventListener("click", (event) => {
    if (!preview || document.body.dataset.nnwebState !== "preview") return;
    const { clientX: x, clientY: y } = event;
    if (!inside(preview.container.getBoundingClientRect(), x, y)) return;
    const button = elementsWithClass(preview.container, Object.keys(PREVIEW_BUTTONS))
      .find((el) => inside(el.getBoundingClientRect(), x, y));
    if (button) {
      pressKey(PREVIEW_BUTTONS[[...button.classList].find((c) => c in PREVIEW_BUTTONS)]);
    } else {
      const picture = document.body.dataset.nnwebPreview === "cache" ? "the picture from your last visit" : "a first picture";
      notice(`nnweb is still starting (this is ${picture}): that click did nothing. ` +
             "Play, Step and Reset are kept until it is live.", { info: true });
    }
  }, true);

  // What Python holds, read from the worker (the page's tests compare it with the widgets).
  const inspections = new Map();
  let inspectionCount = 0;
  function inspect() {
    return new Promise((resolve) => {
      const id = ++inspectionCount;
      inspections.set(id, resolve);
      worker.postMessage({ type: "inspect", id: id });
    });
  }

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

  // Copy link / embed code: built here from the address, which Python keeps current. The
  // embed lays its views out to the frame's height (nnweb/app/embed_fit.py), so one height
  // suits every width: at 480 px the two views stack at ~210 px each, from ~740 px they sit
  // side by side at ~400 px (their largest), with no scrollbar at any width.
  const EMBED_HEIGHT = 660;
  function embedCode(href) {
    const url = new URL(href);
    url.search = "?embed";
    return `<iframe src="${url.href}" width="100%" height="${EMBED_HEIGHT}" style="border:0" loading="lazy" ` +
           `sandbox="${SANDBOX}" title="nnweb neural-network playground"></iframe>`;
  }
  async function copy(text, what) {
    document.body.dataset.nnwebCopied = text;  // also readable by tests
    try {
      await navigator.clipboard.writeText(text);
      notice(what + " copied to the clipboard.", { info: true });
    } catch (err) {
      notice("Copy this " + what.toLowerCase() + ": " + text, { info: true, lasting: true });
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
    if (new URLSearchParams(window.location.search).has("embed")) {
      document.body.classList.add("nnweb-embed");
      document.documentElement.classList.add("nnweb-embed");  // its background too (style.css)
    }
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
    announceHeight();
    fetchPreview().catch(() => {});  // its failure is showPreview's to handle
    openLink = createOpenLink();
    // In a frame (a blog post may hold several), Python starts once the frame is on screen or
    // touched; until then the first picture stands in, and nothing runs
    embeds = window.parent !== window && typeof IntersectionObserver === "function" ? createEmbedWatch() : null;
    if (!embeds) {  // BokehJS asked for first: behind the worker's 24 MB it came 0.1-0.3 s later
      loadBokeh();
      startPython();
    }
  }

  function startPython() {
    if (worker || document.body.dataset.nnwebState === "error") return;
    document.body.dataset.nnwebStart = "started";
    if (previewNote) $("nnweb-preview-note").textContent = previewNote;
    // The worker reads the load manifest itself; it downloads once the picture's views are drawn
    // ("download") and starts Python on "go".
    try {
      worker = new Worker(new URL(script.dataset.worker, base));
      pageStamp("worker created");
    } catch (err) {
      fail("The browser refused to start nnweb's Python worker (" + err.message + ").");
      return;
    }
    worker.onmessage = onMessage;
    worker.onerror = (e) => fail("The Python worker stopped: " + (e.message || "unknown error"));
    worker.postMessage({ type: "start", base: base, manifest: script.dataset.manifest, hash: window.location.hash,
                         search: window.location.search, pictureFirstMs: PICTURE_FIRST_MS });
    if (viewsDrawn) worker.postMessage({ type: "download" });
    if (previewSettled) letPythonStart();
    loadBokeh();  // the first picture and the live app both need it (an embed touched before it showed)
    window.nnweb = Object.freeze({ worker: worker, inspect: inspect, pending: () => (outbox ? outbox.pending : 0) });
  }

  // "Open in nnweb" (embeds): the full app with the same experiment, i.e. this address without
  // the embed's options. Python keeps the hash current; the link follows it after each of its
  // changes and before it is used.
  let openLink = null;
  function createOpenLink() {
    const link = $("nnweb-open");
    if (!link || !document.body.classList.contains("nnweb-embed")) return null;
    const refresh = () => {
      const url = new URL(window.location.href);
      const query = new URLSearchParams(url.search);
      for (const name of ["embed", "controls", "tools"]) query.delete(name);
      url.search = query.toString();
      if (link.href !== url.href) link.href = url.href;
    };
    for (const type of ["pointerdown", "focus", "contextmenu"]) link.addEventListener(type, refresh);
    refresh();
    link.hidden = false;
    return { refresh: refresh };
  }

  // Many embeds on one page. Each starts Python when it first comes on screen (or is touched),
  // and pauses its training when scrolled out of view (Python resumes a run it paused this way
  // when the frame is back). And at most one trains at a time: one that starts playing tells its
  // siblings (same origin, so a BroadcastChannel reaches them) and a playing one pauses. Pausing
  // off screen alone would still let every visible embed of a tall screen train at once, all on
  // the reader's cores; the channel alone would leave a run going where no one sees it.
  let embeds = null;
  function createEmbedWatch() {
    document.body.dataset.nnwebStart = "waiting";
    $("nnweb-preview-note").textContent = PREVIEW_NOTES.waiting;
    const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("nnweb-embeds") : null;
    const me = Math.random().toString(36).slice(2);
    let visible = null;
    let play = null;  // the Play toggle's model, once live
    const tell = (message) => { if (worker && jsdoc) worker.postMessage(message); };
    new IntersectionObserver((entries) => {
      const now = entries[entries.length - 1].isIntersecting;
      if (now === visible) return;
      visible = now;
      document.body.dataset.nnwebVisible = String(now);
      if (now) {
        loadBokeh();
        startPython();
      }
      tell({ type: "visible", visible: now });
    }).observe(document.documentElement);
    document.addEventListener("pointerdown", startPython, true);
    document.addEventListener("keydown", startPython, true);
    if (channel) {
      channel.onmessage = (event) => {
        if (event.data && event.data.playing && event.data.playing !== me && play && play.active) tell({ type: "pause" });
      };
    }
    return {
      live(doc) {
        play = [...doc.all_models].find((m) => Array.isArray(m.css_classes) && m.css_classes.includes("nnweb-play"));
        if (visible === false) tell({ type: "visible", visible: false });
        doc.on_change((event) => {
          if (event.model === play && event.attr === "active" && play.active && channel) channel.postMessage({ playing: me });
        }, false);
      },
    };
  }

  start();
})();
