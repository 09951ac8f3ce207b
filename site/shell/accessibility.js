// What BokehJS and Panel leave out for keyboard and screen-reader users, added in the page.
//
// Names, for what they draw without one (a screen reader would say only "button", "slider"
// or "checkbox"): the handles of sliders, a Checkbox's box, the arrows of a number box, the
// icon buttons of a Player and of a plot's toolbar, and each figure's canvas (named by the
// figure's title). The names come from each view's model (its title, label or tooltip), so
// every widget, whoever adds it, is named the same way; an element with a name keeps it.
//
// A focus ring, the same on every control: Panel's card headers and several widgets draw
// none, and each shadow root would need its own stylesheet; one constructed sheet is
// adopted by every shadow root instead (and the page's own CSS covers the document).
//
// The focus kept where a control is drawn again: BokehJS re-renders a button whose label
// changes (Play becomes Pause), and the focus would fall back to the page, so a second
// Space or Enter would do nothing. The new control in the same place gets the focus back.
//
// Why in the page: Bokeh's models have no aria properties Python could set, and no style
// reaches into every shadow root. The pass runs again whenever something is drawn: one
// MutationObserver per shadow root (mutations do not cross shadow boundaries), at most every
// PASS_MS (the status line changes 10 times a second while training: the pass stays a small
// share of the page's time). Nothing here changes what a control does.
(() => {
  "use strict";

  // Panel's Player buttons, by their css class (they hold only an icon)
  const PLAYER_BUTTONS = {
    first: "First frame", previous: "Previous frame", reverse: "Play backwards", pause: "Pause",
    play: "Play", next: "Next frame", last: "Last frame", slower: "Slower", faster: "Faster",
  };

  const text = (value) => {
    if (typeof value === "string") return value.trim();
    if (value && typeof value.content === "string") return value.content.trim();  // a Tooltip model
    return "";
  };

  function modelName(model) {
    for (const key of ["title", "label", "name", "description"]) {
      const value = text(model[key]);
      if (value) return value;
    }
    return "";
  }

  const hasName = (el) => el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby")
    || (el.labels && el.labels.length > 0 && [...el.labels].some((l) => l.textContent.trim()));

  function nameIfUnnamed(el, name) {
    if (el && name && !hasName(el)) el.setAttribute("aria-label", name);
  }

  function nameView(view) {
    const model = view.model;
    const root = view.shadow_el || view.el.shadowRoot;
    if (view.canvas_view && model.title && typeof model.title === "object") {  // a figure
      // Its events layer, named by the title: it holds the picture and the plot's tool buttons
      // (so role=img, which makes its content presentational, would hide the tools), and
      // keyboard tools make it a focus stop of its own, which must say what it is.
      const picture = view.canvas_view.events_el || view.canvas_view.el;
      const title = text(model.title.text) || "Plot";
      if (picture.getAttribute("aria-label") !== title) {
        picture.setAttribute("role", "figure");
        picture.setAttribute("aria-label", title);
      }
    }
    if (!root) return;
    // a plot's tool buttons are divs with a title: buttons, saying whether they are on
    for (const tool of root.querySelectorAll(".bk-ClickButton, .bk-OnOffButton")) {
      if (tool.getAttribute("role") !== "button") tool.setAttribute("role", "button");
      nameIfUnnamed(tool, tool.title);
      if (tool.classList.contains("bk-OnOffButton")) {
        const on = String(tool.classList.contains("bk-active"));
        if (tool.getAttribute("aria-pressed") !== on) tool.setAttribute("aria-pressed", on);
      }
    }
    for (const more of root.querySelectorAll(".bk-tool-overflow")) {  // drawn as "⋮"
      if (more.getAttribute("role") !== "button") more.setAttribute("role", "button");
      nameIfUnnamed(more, "More tools");
    }
    const name = modelName(model);
    for (const handle of root.querySelectorAll(".noUi-handle")) nameIfUnnamed(handle, name);
    for (const input of root.querySelectorAll("input, select, textarea")) nameIfUnnamed(input, name);
    for (const button of root.querySelectorAll(".bk-spin-btn-up")) nameIfUnnamed(button, `Increase ${name}`.trim());
    for (const button of root.querySelectorAll(".bk-spin-btn-down")) nameIfUnnamed(button, `Decrease ${name}`.trim());
    for (const button of root.querySelectorAll("button")) {
      const icon = Object.keys(PLAYER_BUTTONS).find((c) => button.classList.contains(c));
      if (icon && !button.textContent.trim()) nameIfUnnamed(button, PLAYER_BUTTONS[icon]);
      // a button drawn as a symbol (× removes a layer) is named by its tooltip
      else if (/^[^\p{L}\p{N}]{0,2}$/u.test(button.textContent.trim())) nameIfUnnamed(button, text(model.description));
    }
  }

  function nameAll() {
    if (typeof Bokeh === "undefined" || !Bokeh.index || typeof Bokeh.index.query !== "function") return;
    for (const view of Bokeh.index.query(() => true)) {
      try {
        nameView(view);
      } catch (err) {  // a view mid-render: the next pass names it
      }
    }
  }

  const FOCUS_RING = (() => {
    try {  // constructed stylesheets: every current browser; an older one keeps the widgets' own focus styles
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(":focus-visible { outline: 2px solid #0877bd !important; outline-offset: 2px !important; }");
      return sheet;
    } catch (err) {
      return null;
    }
  })();

  function adoptFocusRing(root) {
    if (!FOCUS_RING || !root.adoptedStyleSheets) return;
    if (!root.adoptedStyleSheets.includes(FOCUS_RING)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, FOCUS_RING];
  }

  const PASS_MS = 250;
  let scheduled = false;
  const watched = new WeakSet();
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      watchShadowRoots(document);
      nameAll();
    }, PASS_MS);
  }
  let focused = null;  // { el, root }: the last focused element inside a shadow root
  const FOCUSABLE = "button, input, select, textarea, [tabindex]";
  function keepFocus() {
    if (!focused || focused.el.isConnected || !focused.root.host.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;  // the focus went somewhere on purpose
    const replacement = focused.root.querySelector(FOCUSABLE);
    focused = null;
    if (replacement) replacement.focus({ preventScroll: true });
  }
  const observer = new MutationObserver(() => {
    keepFocus();
    schedule();
  });
  function watch(root) {
    if (watched.has(root)) return;
    watched.add(root);
    if (root !== document) {
      adoptFocusRing(root);
      root.addEventListener("focusin", (event) => {
        const el = event.composedPath()[0];
        if (el.getRootNode() === root) focused = { el, root };  // (outer roots hear it too)
      });
    }
    observer.observe(root, { childList: true, subtree: true, attributeFilter: ["class"] });  // class: a tool on/off
  }
  function watchShadowRoots(root) {
    watch(root);
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) watchShadowRoots(el.shadowRoot);
  }
  document.addEventListener("DOMContentLoaded", schedule);
  schedule();
})();
