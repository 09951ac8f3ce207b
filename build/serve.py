"""A small static server for site/ on 127.0.0.1, used by ``site.py --serve`` and the tests.

``mount`` serves the site under a sub-path (as GitHub Pages serves a project site), and
``headers`` adds response headers. Every response carries the site's Content-Security-Policy
(build/csp.py), so local use and every browser test run under it, the worker included.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import csp

http.server.SimpleHTTPRequestHandler.extensions_map.update({
    ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
})


class Handler(http.server.SimpleHTTPRequestHandler):
    mount = "/"
    extra_headers: dict[str, str] = {}
    extra_files: dict[str, bytes] = {}
    hidden: tuple[str, ...] = ()

    def translate_path(self, path):
        if self.hidden and any(part.startswith(self.hidden) for part in path.split("/")):
            return str(Path(self.directory) / "__hidden__")
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "__outside_mount__")
        return super().translate_path("/" + path[len(self.mount):])

    def do_GET(self):
        route = self.path.split("?", 1)[0]
        if route in self.extra_files:
            body = self.extra_files[route]
            kind = self.extensions_map.get(Path(route).suffix, "text/html; charset=utf-8")  # .js, .whl
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            http.server.SimpleHTTPRequestHandler.end_headers(self)  # a foreign page: not our headers
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self):
        for key, value in self.extra_headers.items():
            if key == "Content-Security-Policy" and value == csp.POLICY:  # the site's own: by page
                value = csp.for_path(self.path.split("?", 1)[0].removeprefix(self.mount.rstrip("/")))
            self.send_header(key, value)
        super().end_headers()

    def log_message(self, *args):
        pass


def make_server(directory: Path, port: int = 0, mount: str = "/", headers: dict | None = None,
                extra_files: dict[str, bytes] | None = None,
                hidden: tuple[str, ...] = ()) -> http.server.ThreadingHTTPServer:
    """A server bound to 127.0.0.1 (port 0 = any free port); call ``serve_forever`` yourself.

    ``hidden``: file-name prefixes answered with 404 (the tests simulate a broken deploy).
    ``extra_files``: route -> bytes of files that are not the site's (a blog embedding it, a
    test's script), typed by the route's extension (none: HTML), served without the site's headers.
    """
    headers = {"Content-Security-Policy": csp.POLICY, **(headers or {})}
    handler = type("SiteHandler", (Handler,), {"mount": mount, "extra_headers": headers,
                                               "extra_files": extra_files or {}, "hidden": hidden})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                           functools.partial(handler, directory=str(directory)))


def serve_in_thread(directory: Path, **kwargs) -> http.server.ThreadingHTTPServer:
    server = make_server(directory, **kwargs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_forever(directory: Path, port: int = 8000) -> None:
    server = make_server(directory, port)
    print(f"nnweb: serving {directory} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
