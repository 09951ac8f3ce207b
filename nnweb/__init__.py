"""nnweb: a neural-network playground that runs entirely in the browser (Pyodide + Panel).

``nnweb.engine`` trains; ``nnweb.app`` shows. The engine never imports the app.
"""
__version__ = "0.1.0"
