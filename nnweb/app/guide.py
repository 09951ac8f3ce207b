"""Help for students: "what am I looking at?" for every view, and a short guided tour.

Texts only; the tour moves through steps with Back/Next and can be opened from a link
(``?tour``) so a teacher can hand out a link that starts with it. Each step names the part
of the page it talks about (``TOUR_TARGETS``; the App hands over those parts): that part
gets the css class ``nnweb-tour-target``, which outlines it (its own stylesheet: parts
render in shadow roots) and which the page's loader scrolls into view (site/shell/loader.js).
"""
from __future__ import annotations

import panel as pn

from .layout import STACKED_BELOW_PX, collapsed_card

VIEW_HELP = {
    "Decision boundary": "Every pixel of the plane coloured by what the network predicts there: blue or orange "
                         "for the class, paler where it is unsure. The dots are the data (outlined: test points). "
                         "Training moves the boundary until the colours agree with the dots.",
    "Network": "Each square is a neuron, drawn as its own output over the whole plane; each line a weight "
               "(blue positive, orange negative, thicker when larger). Click a neuron to see its layer in the "
               "layer space, or a line to edit that weight.",
    "Layer space": "The data and a grid of the input plane as a hidden layer sees them: each layer moves, "
                   "stretches and folds the plane. When the classes can be split by a straight line here, the "
                   "layers after it have an easy job. Wide layers are shown by PCA.",
    "Layers": "Every layer side by side, input to output, each as a small layer space (two neurons, or PCA for "
              "wider layers). Live follows training; Checkpoints lays out moments of training in rows, so you "
              "see each layer untangle the data over time. Click a plot to open it in Layer space.",
    "3D": "The same for a layer of three neurons (or three chosen ones), in 3D: drag the sliders to turn it.",
    "Simplex": "Each data point at the class probabilities the network gives it: a corner is one class for "
               "certain, the middle is unsure. Training pulls the points to the corners of their own colour.",
    "Morph": "Slide from the input plane to the output and watch the data and the grid move layer by layer. "
             "Aligned turns each layer to match the one before; True coordinates shows each layer as the "
             "network computes it (a ReLU's corner stays on the axes); 3D follows three neurons.",
    "History": "The loss and accuracy over the epochs, for training and test points; scrub back through "
               "checkpoints and every view shows the network as it was then.",
    "1D": "For one-input data: how the input axis is carried through the layers to the output, each layer "
          "fitted to the width or all on one scale. A layer of one neuron fed by one number is also drawn as "
          "its graph, output against input.",
    "Metrics": "The confusion matrix counts, for each true class (rows), what the network predicted (columns); "
               "the diagonal is right. For regression: RMSE (typical error) and R² (1 is perfect, 0 is no better "
               "than the mean).",
}

TOUR = [
    ("The data", "Blue and orange dots are two classes. The network's job: colour the plane so that every dot "
                 "lands on its own colour. Pick other data in the Dataset menu."),
    ("Train", "Press Play (or the space bar). The loss under the buttons falls as the boundary settles. "
              "Step (s) trains one epoch: one pass over the training points."),
    ("Look inside", "The Network diagram shows each neuron's own picture of the plane. Click one: the Layer "
                    "space tab shows how its layer reshapes the data and the grid."),
    ("Change things", "Add neurons or layers, change the activation or the learning rate, and watch what "
                      "changes. Too high a learning rate makes the loss explode: nnweb pauses and says so."),
    ("Share", "The address always holds the whole experiment: Copy link, and whoever opens it sees exactly "
              "this, down to the initial weights."),
]


# What each step of TOUR points at, by the names App.__init__ gives the parts of the page
TOUR_TARGETS = ("dataset", "play", "network", "add_layer", "share")
TARGET_CLASS = "nnweb-tour-target"
TARGET_CSS = (f":host(.{TARGET_CLASS}) {{ outline: 3px solid #f59322; outline-offset: 3px; border-radius: 4px; "
              "scroll-margin: 80px; }")


# On a phone the views come before the settings (layout.STACKED_BELOW_PX), so scrolling to a
# step's part would carry the tour's own Back/Next off screen: there it is a sheet fixed to the
# bottom of the screen, always at hand.
TOUR_BOX_CSS = (f"@media (max-width: {STACKED_BELOW_PX - 1}px) {{ :host {{ position: fixed !important; "
                "left: 0; right: 0; bottom: 0; z-index: 20; background: #ffffff; padding: 4px 8px 8px; "
                "box-shadow: 0 -2px 10px rgba(0, 0, 0, 0.18); max-height: 40vh; overflow-y: auto; }} }}")


class Guide(pn.viewable.Viewer):
    def __init__(self, tour: bool = False, **params):
        super().__init__(**params)
        self.step = 0
        self.help = pn.pane.HTML(
            "".join(f"<p><b>{name}.</b> {text}</p>" for name, text in VIEW_HELP.items()),
            margin=(0, 10), css_classes=["nnweb-help"])
        self.tour_text = pn.pane.HTML("", margin=(0, 10), css_classes=["nnweb-tour"])
        self.back = pn.widgets.Button(label="Back", width=70)
        self.next = pn.widgets.Button(label="Next", width=70, css_classes=["nnweb-tour-next"])
        self.close = pn.widgets.Button(label="Close", width=70)
        self.start = pn.widgets.Button(label="Take the tour", width=120, css_classes=["nnweb-tour-start"])
        self.back.on_click(lambda _: self._go(self.step - 1))
        self.next.on_click(lambda _: self._go(self.step + 1))
        self.close.on_click(lambda _: self._show_tour(False))
        self.start.on_click(lambda _: (self._go(0), self._show_tour(True)))
        self.tour = pn.Column(self.tour_text, pn.Row(self.back, self.next, self.close), margin=0,
                              css_classes=["nnweb-tour-box"], stylesheets=[TOUR_BOX_CSS])
        self.targets: dict = {}  # TOUR_TARGETS name -> the page's part (a Panel or Bokeh model)
        self._go(0)
        self._show_tour(tour)

    def _go(self, step: int) -> None:
        self.step = max(0, min(len(TOUR) - 1, step))
        title, text = TOUR[self.step]
        self.tour_text.object = f"<p><b>{self.step + 1}/{len(TOUR)} · {title}.</b> {text}</p>"
        self.back.disabled = self.step == 0
        self.next.disabled = self.step == len(TOUR) - 1
        self._highlight()

    def point_at(self, targets: dict) -> None:
        """The parts of the page the steps talk about ({TOUR_TARGETS name: Panel or Bokeh model})."""
        for part in targets.values():
            if TARGET_CSS not in part.stylesheets:
                part.stylesheets = [*part.stylesheets, TARGET_CSS]
        self.targets = dict(targets)
        self._highlight()

    @property
    def target(self):
        """The part the open tour's step talks about (None while the tour is closed)."""
        return self.targets.get(TOUR_TARGETS[self.step]) if self.tour.visible else None

    def _highlight(self) -> None:
        """Only the current step's part carries TARGET_CLASS (none while the tour is closed)."""
        current = self.target if hasattr(self, "tour") else None
        for part in self.targets.values():
            classes = [c for c in part.css_classes if c != TARGET_CLASS] + ([TARGET_CLASS] if part is current else [])
            if classes != list(part.css_classes):
                part.css_classes = classes

    def _show_tour(self, shown: bool) -> None:
        self.tour.visible = shown
        self.start.visible = not shown
        self._highlight()

    def __panel__(self):
        return pn.Column(self.tour, collapsed_card("What am I looking at?", self.help, self.start), margin=0)
