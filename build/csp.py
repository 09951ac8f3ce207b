"""The site's Content-Security-Policy: its own origin only, plus what WebAssembly needs.

Written into index.html as a <meta> tag (GitHub Pages cannot set headers) and sent as a
header by build/serve.py, where it also covers the worker (a worker takes its policy from
its own response, not from the page's meta tag). Why each source is there:
- script-src 'self' 'wasm-unsafe-eval': our scripts and Pyodide's WebAssembly; no 'unsafe-eval'
  (Panel's one eval is replaced, see nnweb/app/browser.py) and no inline scripts or handlers.
- style-src 'self' 'unsafe-inline': BokehJS and Panel style their shadow DOM with <style>
  elements and style attributes; styles cannot run code.
- img-src 'self' data: blob:: Bokeh's toolbar icons are data: URIs in its CSS.
- script-src-attr 'none', frame-src 'none', media-src 'none', manifest-src 'none': nnweb has no
  inline handlers, frames, media or manifest, so markup that got into the page anyway could
  not use them. (Naming the site's own script files instead of 'self' is not possible in a
  static policy: a source with a path needs the host, which only the deploy knows.)
- The example post (examples/index.html) has the same policy but for frame-src 'self': its
  embeds are the site's own pages (POST_POLICY; build/serve.py sends it for examples/).
- frame-ancestors is not set: any page may embed nnweb (the iframe is how blogs use it);
  meta tags cannot carry it anyway.
"""
POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "media-src 'none'",
    "manifest-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
])

POST_POLICY = POLICY.replace("frame-src 'none'", "frame-src 'self'")


def for_path(path: str) -> str:
    """The policy a response for ``path`` (relative to the site's root) carries."""
    return POST_POLICY if path.lstrip("/").startswith("examples/") else POLICY
