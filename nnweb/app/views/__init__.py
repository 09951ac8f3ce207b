"""The views: each one a figure (or a few) that redraws from the session's scene.

One module a view, named after what it shows: ``boundary`` (the decision boundary in the
input plane), ``layer_space`` (where one layer puts the data and the warped grid),
``network`` (the diagram with neuron thumbnails and the weight editor), ``layers_row`` (every
layer side by side, live or at checkpoints of training), ``space3d``,
``morph``, ``oned``, ``history``, ``metrics``, and ``compare`` (two runs side by side).
``base`` holds what they share: the session watcher and the figure style.
"""
