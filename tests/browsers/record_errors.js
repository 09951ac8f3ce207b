// Loaded first (before the loader and BokehJS) by the test copy of index.html that
// tests/test_site_browsers.py serves: keeps every error the page sees in window.__nnwebErrors.
// WebKit's WebDriver has no console log and no script to run before a page's own, so the
// page records its errors itself; the same record is read in Firefox (which also reports
// its console over BiDi), so both browsers are held to the same rule.
"use strict";
(function () {
  const errors = window.__nnwebErrors = [];
  const text = (value) => (value && value.stack) || String(value);
  const consoleError = console.error;
  console.error = function (...args) {
    errors.push("console.error: " + args.map(text).join(" "));
    return consoleError.apply(this, args);
  };
  addEventListener("error", (e) => {
    if (e.target !== window && e.target && e.target.tagName) {
      errors.push("failed to load: " + (e.target.src || e.target.href || e.target.tagName));
    } else {
      errors.push("uncaught: " + (e.error ? text(e.error) : e.message));
    }
  }, true);
  addEventListener("unhandledrejection", (e) => errors.push("unhandled rejection: " + text(e.reason)));
  document.addEventListener("securitypolicyviolation",
    (e) => errors.push("CSP: " + e.violatedDirective + " blocked " + e.blockedURI));
})();
