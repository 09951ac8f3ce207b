"""nnweb's Panel/Bokeh app: a ``Session`` owns the training; views only subscribe to it."""
