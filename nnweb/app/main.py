"""The app: its parts (page layout: layout.py), the training loop and the URL.

``App`` is built from a ``Session``. The loop trains for a time budget shorter than its
frame and always pauses between frames, so the page stays responsive while training. The
URL hash follows the shareable state, and a link opened (or pasted) restores it.
"""
from __future__ import annotations

import asyncio
import sys
import time

import panel as pn
import param

from ..engine import DATASETS
from ..engine.export_code import numpy_code, torch_code
from .controls import Controls
from .csv_import import CsvImport
from .dataset_picker import NAMES, DatasetPicker
from .embed_fit import view_css
from .frame_budget import FrameBudget
from .gallery import Gallery
from .guide import Guide
from .layout import PRIMARY_CSS, STATUS_CSS, TABS_CSS, TITLE_CSS, page_layout, play_button, status_html, top_bar, wrap_row
from .model_file import export_model, import_model
from .plain_text import MessageBox
from .screen_reader import unseen_heading, unseen_label
from .session import Session
from .state import decode, encode
from .views.boundary import DecisionBoundary
from .views.compare import Compare
from .views.explained import ExplainedTab
from .views.history import TrainingHistory
from .views.layer_space import LayerSpace
from .views.layers_row import LayersRow
from .views.metrics import Metrics
from .views.morph import Morph
from .views.network import NetworkDiagram
from .views.oned import OneD
from .views.simplex import SimplexView
from .views.space3d import Space3D

FRAME_MS = 20   # a Panel server in CPython trains and draws at most this often (50 Hz) ...
TRAIN_BUDGET_S = 0.010  # ... this long each frame (two runs being compared share it); the browser: frame_budget
EMBED_VIEWS = ("boundary", "layer", "network", "3d", "simplex", "morph", "history", "1d", "metrics")
STATUS_EVERY_S = 0.1  # while training, the status line changes at most 10 times a second
VIEW_TABS = ("Layer space", "Layers", "3D", "Simplex", "Morph", "History", "1D", "Metrics")  # then Compare
KEYS = {" ": "play", "s": "step", "r": "reset"}  # sent by the page's key handler (site/shell/loader.js)


def layout_from_query(search: str) -> dict:
    """``?embed`` -> compact layout with the boundary and layer space; ``?embed=boundary,3d``
    picks views (of EMBED_VIEWS); ``&controls`` adds the control panel. Unknown names are ignored.
    Classroom options, with or without embed: ``hide=lr,optimizer,data`` hides controls or whole
    cards (names: controls.TOOLTIPS and controls.CARDS); ``tour`` opens the guided tour.
    An embed shows each view compact (no draw tools, no grid or neuron pickers) unless
    ``&tools`` asks for the full app's tools (``&controls`` does too)."""
    from urllib.parse import parse_qs

    query = parse_qs(search.lstrip("?"), keep_blank_values=True)
    classroom = {"hide": [v.strip() for v in ",".join(query.get("hide", [])).split(",") if v.strip()],
                 "tour": "tour" in query}
    if "embed" not in query:
        return {"embed": False, **classroom}
    asked = [v.strip() for v in ",".join(query["embed"]).split(",") if v.strip() in EMBED_VIEWS]
    return {"embed": True, "views": asked or ["boundary", "layer"], "controls": "controls" in query,
            "tools": "tools" in query or "controls" in query, **classroom}


class App(pn.viewable.Viewer):
    session = param.ClassSelector(class_=Session)

    def __init__(self, initial_hash: str = "", layout: dict | None = None, **params):
        params.setdefault("session", Session())
        super().__init__(**params)
        s = self.session
        self._last_hash = None
        self._paused_off_screen = False  # by page_visible: resumed when the embed is back in view
        if initial_hash.strip("#"):
            self.open_link(initial_hash)
        play = play_button(s)
        step = pn.widgets.Button(label="Step", width=70, height=44, css_classes=["nnweb-step"])
        reset = pn.widgets.Button(label="Reset", width=70, height=44, css_classes=["nnweb-reset"])
        keys_hint = pn.pane.HTML("<small class='nnweb-hint'>Keys: space play/pause · s one epoch · "
                                 "r reset</small>", margin=(0, 10))
        step.on_click(lambda _: s.step())
        reset.on_click(lambda _: s.reset())
        self.datasets = DatasetPicker(s)
        # the same choice as a list (human names; its values stay the engine's, as links have them)
        dataset = pn.widgets.Select.from_param(s.param.dataset, label="Dataset", width=300,
                                               options={NAMES[name]: name for name in DATASETS})
        status = self.status = pn.pane.HTML(self._status_text(), css_classes=["nnweb-status"],
                                            stylesheets=[STATUS_CSS], sizing_mode="stretch_width", min_width=300)
        self._status_at = 0.0
        s.param.watch(self._update_status, ["epoch", "train_loss", "test_loss", "message", "running"])
        self.keys = pn.widgets.TextInput(visible=False, css_classes=["nnweb-keys"])
        self.keys.param.watch(self._key, "value")
        self.controls = Controls(s)
        self.csv = CsvImport(s)
        layout = layout or {"embed": False}
        unknown = self.controls.hide(layout.get("hide", []))
        if unknown:  # for the teacher who wrote the link (the browser's console), not the students' status line
            print(f"nnweb: this classroom link names controls nnweb does not have: {', '.join(unknown)}.")
        self.guide = Guide(tour=layout.get("tour", False))
        self.gallery = Gallery(s)
        if self.controls.hidden:  # a demonstration would change the settings the teacher hid
            self.gallery.hide()
        self.boundary = DecisionBoundary(session=s)
        self.network = NetworkDiagram(session=s)
        self.layer_space = LayerSpace(session=s)
        self.compare = Compare(s)
        # The other tabs' views are built when their tab is first opened (or an embed shows them):
        # they were over a third of building the app, i.e. of the wait on a cold load.
        self.tab_views = {"Layer space": self.layer_space}
        self._tab_builders = {"Layers": self._layers_row, "3D": Space3D, "Simplex": SimplexView, "Morph": Morph,
                              "History": TrainingHistory, "1D": OneD, "Metrics": Metrics}
        self._placeholders = {title: pn.pane.HTML("Drawing…", margin=10) for title in self._tab_builders}
        # each tab says so when its view can show nothing for the current data (views/explained.py)
        self.explained = {title: ExplainedTab(self._tab_builders.get(title, LayerSpace), s,
                                              self.tab_views.get(title) or self._placeholders[title],
                                              shown=title == VIEW_TABS[0])
                          for title in VIEW_TABS}
        self.tabs = pn.Tabs(*((title, self.explained[title].column) for title in VIEW_TABS),
                            ("Compare", self.compare), dynamic=True, css_classes=["nnweb-tabs"],
                            sizing_mode="stretch_width", min_width=280, max_width=460, stylesheets=TABS_CSS)
        self.tabs.param.watch(self._tab_changed, "active")
        header = pn.pane.HTML("<h1 class='nnweb-title'>nnweb</h1>"  # h2: the cards' titles (h3) follow in order
                              "<h2 class='nnweb-sub'>see what each layer does</h2>", margin=(0, 10),
                              stylesheets=[TITLE_CSS])
        copy_link = pn.widgets.Button(label="Copy link", width=130, css_classes=["nnweb-copy-link"])
        share = pn.Row(copy_link,
                       pn.widgets.Button(label="Copy embed code", width=150, css_classes=["nnweb-copy-embed"]))
        download = pn.widgets.FileDownload(callback=self._model_json, filename="nnweb-model.json",
                                           label="Download model (JSON)", width=300)
        code = pn.Row(pn.widgets.FileDownload(callback=lambda: self._code(numpy_code), filename="nnweb_model_numpy.py",
                                              label="As NumPy script", width=145, css_classes=["nnweb-export-numpy"]),
                      pn.widgets.FileDownload(callback=lambda: self._code(torch_code), filename="nnweb_model_torch.py",
                                              label="As PyTorch module", width=145, css_classes=["nnweb-export-torch"]))
        self.upload = pn.widgets.FileInput(accept=".json", width=300, css_classes=["nnweb-upload"],
                                           **unseen_label("Open a model file (JSON)"))
        # an empty file leaves value None (Panel's reading of it): its new filename tells of it
        self.upload.param.watch(self._model_uploaded, ["value", "filename"])
        self.model_note = MessageBox()  # what became of the file picked, right under it
        model_file = pn.Column(pn.pane.HTML("<small>Model file: the experiment and its trained weights</small>",
                                            margin=(5, 10, 0, 10)), download, code, self.upload, self.model_note,
                               margin=0)
        if layout["embed"]:
            self._layout = self._embed_layout(layout, play, reset, status)
        else:
            self.guide.point_at({"dataset": dataset, "play": play, "network": self.network.figure,
                                 "add_layer": self.controls.add_layer, "share": copy_link})
            sidebar = (self.gallery, self.datasets, dataset, self.guide, self.controls, self.csv, share, model_file, self.keys)
            self._layout = page_layout(top_bar(header, play, step, reset, status, keys_hint), sidebar,
                                       pn.Column(self.boundary, self.network, margin=0, sizing_mode="stretch_width", min_width=280,
                                                 max_width=420, stylesheets=PRIMARY_CSS), self.tabs)
        self._loop = None
        s.param.watch(lambda *_: self._write_hash(), "state_changed")
        pn.state.onload(self._start)

    def _embed_layout(self, layout: dict, play, reset, status):
        """Compact: the chosen views side by side, wrapping to the iframe's width (480..1200 px)."""
        views = {"boundary": self.boundary, "layer": self.layer_space, "network": self.network}
        for name, view in views.items():
            view.visible = name in layout["views"]
        tabs = {"3d": "3D", "simplex": "Simplex", "morph": "Morph", "history": "History", "1d": "1D", "metrics": "Metrics"}
        for name in layout["views"]:
            view = views[name] if name in views else self.tab_view(tabs[name])
            view.embed(compact=not layout.get("tools"))  # before its tab's column takes its __panel__
            if name in tabs:
                self.explained[tabs[name]].show(view)
                self.explained[tabs[name]].shown = True
        shown = [views[name] if name in views else self.explained[tabs[name]].column for name in layout["views"]]
        bar = pn.Column(pn.Row(play, reset, self.keys, margin=0), status, margin=0)
        # A wrapping Row (layout.wrap_row), not pn.FlexBox: FlexBox is ReactiveHTML, whose sanitizer needs nh3
        # each view at least embed_fit.VIEW_MIN_PX wide (or the whole frame): two sit side by side
        # from ~740 px, a narrower frame stacks them; and they are as large as the frame's height allows
        css = view_css(len(shown))
        shown = [pn.Column(view, margin=0, stylesheets=[css]) for view in shown]
        parts = [unseen_heading("nnweb: a neural network trained live"), bar,
                 wrap_row(*shown, styles={"justify-content": "center"}, sizing_mode="stretch_width")]
        if layout["controls"]:
            parts.append(pn.Card(self.controls, title="Settings", collapsed=True, width=340))
        return pn.Column(*parts, sizing_mode="stretch_width", margin=0, css_classes=["nnweb-app", "nnweb-embedded"])

    # --- links -----------------------------------------------------------------------------------
    def open_link(self, text: str) -> bool:
        """Apply a shared link's state; a bad one keeps the current state and says why."""
        try:
            experiment = decode(text)
        except ValueError as err:
            reason = str(err).removeprefix("link: ")
            self.session.message = f"This link could not be opened: {reason}. Nothing was changed."
            return False
        self.session.apply(experiment)
        self._last_hash = encode(experiment)
        return True

    def _write_hash(self) -> None:
        text = encode(self.session.experiment())
        if text != self._last_hash:
            self._last_hash = text
            if pn.state.location is not None:
                pn.state.location.hash = "#" + text

    def _hash_changed(self, event) -> None:
        """A link pasted into the address bar of an open page."""
        text = (event.new or "").lstrip("#")
        if text and text != self._last_hash and not self.open_link(text):
            # The address goes back to what is on screen: Copy link and Reload must not carry
            # (or reopen) a link that was refused. Not from inside this callback: Panel sends
            # no change of the hash back to the page while it applies the page's own.
            async def restore():
                self._last_hash = None
                self._write_hash()
            pn.state.execute(restore)

    # --- model files ------------------------------------------------------------------------------
    def _model_json(self):
        from io import StringIO
        return StringIO(export_model(self.session.experiment(), self.session.network()))

    def _code(self, export):
        """The network on screen as code; plane data also gets a features() function."""
        from io import StringIO
        spec = self.session.data_spec
        features = None if spec.dataset == "digits" else spec.features
        return StringIO(export(self.session.network(), features))

    def _model_uploaded(self, *events) -> None:
        """A model file was picked (value and filename may change in one call or two)."""
        content = self.upload.value
        if not content and not (self.upload.filename and any(e.name == "filename" for e in events)):
            return
        try:
            experiment, arrays = import_model(content or b"")
        except ValueError as err:
            self.model_note.show(f"This model file was not loaded: {err}. Nothing was changed.")
            return
        self.session.load_weights(experiment, arrays)
        self.model_note.show("Model loaded: its experiment and trained weights are on screen.", kind="good")

    # --- status line -----------------------------------------------------------------------------
    def _status_text(self) -> str:
        s = self.session
        return status_html(s.epoch, s.train_loss, s.test_loss, s.message, getattr(s, "metrics", None))

    def _update_status(self, *events) -> None:
        """While training, the epoch and losses are rewritten at most STATUS_EVERY_S apart: no
        one reads numbers changing 40 times a second, and each rewrite is a page update. A
        message, a pause or a single step shows at once."""
        now = time.perf_counter()
        said = any(e.name == "message" for e in events)
        if not said and self.session.running and now - self._status_at < STATUS_EVERY_S:
            return
        self._status_at = now
        self.status.object = self._status_text()

    # --- an embed on a page with others (site/shell/loader.js) ----------------------------------
    def page_visible(self, visible: bool) -> None:
        """Off screen an embed does not train: no one watches it, and the reader's cores go to
        the one in view. A run paused this way resumes when the frame is back in view."""
        if not visible and self.session.running:
            self.session.running = False
            self._paused_off_screen = True
        elif visible and self._paused_off_screen:
            self._paused_off_screen = False
            self.session.running = True

    def pause(self) -> None:
        """Another embed started training: this one pauses (and stays paused when scrolled back)."""
        self._paused_off_screen = False
        self.session.running = False

    # --- keyboard, tabs, loop --------------------------------------------------------------------
    def _key(self, event) -> None:
        action = KEYS.get((event.new or "").split(":", 1)[0])
        if action == "play":
            self.session.running = not self.session.running
        elif action == "step":
            self.session.step()
        elif action == "reset":
            self.session.reset()

    def tab_view(self, title: str):
        """The view of a tab (see VIEW_TABS), built the first time it is asked for."""
        if title not in self.tab_views:
            self.tab_views[title] = self._tab_builders[title](session=self.session)
        return self.tab_views[title]

    def _layers_row(self, session: Session) -> LayersRow:
        """The Layers tab's view: a click on one of its plots opens that layer in Layer space."""
        view = LayersRow(session=session)
        view.param.watch(lambda *_: setattr(self.tabs, "active", VIEW_TABS.index("Layer space")), "opened")
        return view

    def _tab_changed(self, event) -> None:
        """Only the visible tab's view redraws while training; a tab opened for the first time
        gets its view in place of the placeholder."""
        for i, title in enumerate(VIEW_TABS):
            if i == event.new:
                view = self.tab_view(title)
                self.explained[title].show(view)
                # The tab catches up on the next turn of the loop, once Panel has put its models
                # back: a pane changed before (a legend for new data) was changed in the models it
                # had before hiding, which the page no longer has ("reference isn't known")
                async def catch_up(view=view, tab=self.explained[title]):
                    tab.shown = view.visible = True
                pn.state.execute(catch_up)
            else:
                self.explained[title].shown = False
                if title in self.tab_views:
                    self.tab_views[title].visible = False
        self.compare.shown = event.new == len(VIEW_TABS)

    def _tick(self, budget_s: float = TRAIN_BUDGET_S) -> None:
        """One frame of training; an unexpected error pauses and says so (once), never loops."""
        try:
            if self.compare.active:
                self.compare.tick(budget_s)
            else:
                self.session.tick(budget_s)
        except Exception as err:  # the page must keep working whatever a frame raised
            self.session.running = False
            self.session.message = (f"Training stopped: {type(err).__name__}: {err}. "
                                    "Reset or change a setting to go on.")

    async def _run(self) -> None:
        """The training loop in the browser. Unlike a periodic callback, which starts the next
        frame at once when one overruns its period (and then never yields to the page's
        messages: clicks would wait for a pause in training), it always pauses a little, and
        it trains for what the frame budget leaves after drawing."""
        budget = FrameBudget()
        while True:
            start, train_s = time.perf_counter(), budget.train_s
            self._tick(train_s)
            await asyncio.sleep(budget.frame_done(time.perf_counter() - start, train_s))

    def _start(self) -> None:
        if self._loop is None:
            if sys.platform == "emscripten":
                self._loop = asyncio.ensure_future(self._run())
            else:  # a Panel server in CPython
                self._loop = pn.state.add_periodic_callback(self._tick, period=FRAME_MS)
        if pn.state.location is not None:
            pn.state.location.param.watch(self._hash_changed, "hash")
            self._write_hash()

    def __panel__(self):
        return self._layout


def create_app(session: Session | None = None, initial_hash: str = "", layout: dict | None = None) -> App:
    return App(session=session or Session(), initial_hash=initial_hash, layout=layout)
