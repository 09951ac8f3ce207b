"""Input features: what the network sees of a point (x1, x2) of the plane.

TensorFlow Playground's seven features, plus custom ones typed as expressions of x1 and
x2 (``sin(3*x1)*x2``), parsed by the safe parser of expressions.py, never evaluated as
Python. They are applied to data points and to every point of the input-plane grid
alike, so the views always show the plane (x1, x2) whatever the network is fed.
"""
from __future__ import annotations

import functools

import numpy as np

from .expressions import Expression
from .spec import shown

MAX_CUSTOM_FEATURES = 4

FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


def check_features(names) -> tuple[str, ...]:
    names = tuple(names)
    if not names:
        raise ValueError("features: choose at least one input feature")
    custom = [name for name in names if name not in FEATURES]
    if len(custom) > MAX_CUSTOM_FEATURES:
        raise ValueError(f"features: {len(custom)} custom features, at most {MAX_CUSTOM_FEATURES}")
    for name in custom:
        check_custom_feature(name)
    if len(set(names)) != len(names):
        raise ValueError("features: a feature is listed twice")
    return names


@functools.lru_cache(maxsize=64)
def _expression(text: str) -> Expression:
    return Expression(text)


def check_custom_feature(text) -> None:
    """A custom feature must parse and be a finite number all over the plane, so no point,
    drawn or generated, can feed the network a NaN (log(x1) is refused; log(abs(x1)+1) is fine)."""
    if not isinstance(text, str):
        raise ValueError(f"features: expected a name or an expression, got {shown(text)}")
    try:
        expression = _expression(text)
    except ValueError as err:
        raise ValueError(f"features: {shown(text)}: {str(err).removeprefix('expression: ')}") from None
    side = np.linspace(-6.0, 6.0, 25)
    x1, x2 = np.meshgrid(side, side)
    values = expression.evaluate(x1=x1.ravel(), x2=x2.ravel())
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"features: {shown(text)} is not a finite number at "
                         f"x1 = {x1.ravel()[i]:g}, x2 = {x2.ravel()[i]:g}")


def apply_features(names, points: np.ndarray) -> np.ndarray:
    """(N, 2) points of the plane -> (N, len(names)) network inputs."""
    x1, x2 = points[:, 0], points[:, 1]
    columns = [FEATURES[name](x1, x2) if name in FEATURES else
               np.nan_to_num(_expression(name).evaluate(x1=x1, x2=x2), nan=0.0, posinf=0.0, neginf=0.0)
               for name in names]
    return np.stack(columns, axis=1)
