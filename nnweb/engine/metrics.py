"""How good a model is, beyond its loss: accuracy and the confusion matrix for classes,
RMSE and R² for regression. Plain NumPy on predictions, so the app can show them for the
training and the test points alike.
"""
from __future__ import annotations

import numpy as np


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) counts: row = true class, column = predicted class."""
    labels, predicted = np.asarray(labels, dtype=int), np.asarray(predicted, dtype=int)
    return np.bincount(labels * n_classes + predicted, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def classification_metrics(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> dict:
    matrix = confusion_matrix(labels, predicted, n_classes)
    total = matrix.sum()
    return {"accuracy": float(np.trace(matrix) / total) if total else None, "confusion": matrix}


def regression_metrics(targets: np.ndarray, predicted: np.ndarray) -> dict:
    """RMSE, and R² = 1 - SSE / SST (None when the targets are constant: R² is undefined)."""
    targets, predicted = np.ravel(targets).astype(float), np.ravel(predicted).astype(float)
    if targets.size == 0:
        return {"rmse": None, "r2": None}
    sse = float(((targets - predicted) ** 2).sum())
    sst = float(((targets - targets.mean()) ** 2).sum())
    return {"rmse": float(np.sqrt(sse / targets.size)), "r2": 1.0 - sse / sst if sst > 0 else None}
