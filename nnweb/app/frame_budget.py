"""How long each frame of the browser's training loop trains.

A frame is: train, draw every visible view, then pause so the page's messages (clicks,
settings) are handled. Drawing costs what the network makes it cost (a 6-layer net takes
twice as long as a small one), so training gets what is left of a frame of ``FRAME_S``,
between ``MIN_TRAIN_S`` and ``MAX_TRAIN_S``: a small net trains 10 ms a frame, a large one
less, and both keep more than 30 redraws a second. Measured in the built site: with a fixed
10 ms, 6 layers of 8 drew 30 frames/s; with this budget (and the status line rewritten at
most 10 times a second) 34.5, still at 65 epochs/s (benchmarks/browser.py).
"""
from __future__ import annotations

FRAME_S = 0.028       # what a frame aims to take: training + drawing + pause (~36 a second)
MIN_FRAME_S = 0.020   # and at least this: drawing more than 50 times a second shows nothing new
PAUSE_S = 0.004       # the pause; browsers clamp repeated timers to 4 ms anyway
MIN_TRAIN_S, MAX_TRAIN_S = 0.004, 0.010
SMOOTHING = 0.3       # weight of the newest frame in the drawing-time estimate


class FrameBudget:
    def __init__(self):
        self.draw_s = 0.0  # smoothed time a frame spends outside training

    @property
    def train_s(self) -> float:
        """Training time for the next frame."""
        return min(MAX_TRAIN_S, max(MIN_TRAIN_S, FRAME_S - PAUSE_S - self.draw_s))

    def frame_done(self, spent_s: float, trained_s: float) -> float:
        """Record a frame that took ``spent_s`` of which ``trained_s`` was its training
        budget; returns how long to pause before the next one."""
        draw = max(0.0, spent_s - trained_s)
        self.draw_s += SMOOTHING * (draw - self.draw_s)
        return max(PAUSE_S, MIN_FRAME_S - spent_s)
