"""What else the machine is doing while a figure is measured, and a load of our own.

Figures from this machine (2 cores, shared) mean little alone: every one is printed with the
load average at the time, and comparisons are made side by side in the same run. The busy
loop stands for a student's other tabs: one process that keeps one core busy.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os


def load() -> str:
    """The 1-minute load average, as printed beside each figure."""
    return f"load {os.getloadavg()[0]:.1f}"


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def busy_loop():
    """One CPU-bound process beside the browser for the duration of the block (this one
    process only is stopped afterwards, by its own handle)."""
    process = multiprocessing.get_context("spawn").Process(target=_spin, daemon=True)
    process.start()
    try:
        yield process
    finally:
        process.terminate()
        process.join(5)
