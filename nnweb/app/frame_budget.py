"""How long each frame of the browser's training loop trains.

A frame is: train, draw every visible view, then pause so the page's messages (clicks,
settings) are handled. Drawing costs what the network makes it cost (6 layers of 8 take
several times as long as a small net), and a fixed training slice would then leave most
of each frame to drawing: training fell behind TensorFlow Playground, which trains a
whole epoch every frame. So training gets the larger of what is left of a frame of
``FRAME_S`` and ``TRAIN_SHARE`` of the frame's busy time, between ``MIN_TRAIN_S`` and
``MAX_TRAIN_S``: a small net trains ~20 ms of a ~28 ms frame (36 redraws a second), a
costly one trains twice as long as it draws (fewer redraws, ~20 a second, but two thirds
of the time spent learning), and a frame never exceeds ~MAX_TRAIN_S + drawing, so Pause
and clicks still wait at most one frame. Figures: benchmarks/browser.py.
"""
from __future__ import annotations

FRAME_S = 0.028       # what a frame aims to take: training + drawing + pause (~36 a second)
MIN_FRAME_S = 0.020   # and at least this: drawing more than 50 times a second shows nothing new
PAUSE_S = 0.004       # the pause; browsers clamp repeated timers to 4 ms anyway
MIN_TRAIN_S, MAX_TRAIN_S = 0.004, 0.040
TRAIN_SHARE = 2 / 3   # of a frame's training + drawing, training's part at least
SMOOTHING = 0.3       # weight of the newest frame in the drawing-time estimate


class FrameBudget:
    def __init__(self):
        self.draw_s = 0.0  # smoothed time a frame spends outside training

    @property
    def train_s(self) -> float:
        """Training time for the next frame."""
        fill = FRAME_S - PAUSE_S - self.draw_s
        share = self.draw_s * TRAIN_SHARE / (1 - TRAIN_SHARE)
        return min(MAX_TRAIN_S, max(MIN_TRAIN_S, fill, share))

    def frame_done(self, spent_s: float, trained_s: float) -> float:
        """Record a frame that took ``spent_s`` of which ``trained_s`` was its training
        budget; returns how long to pause before the next one."""
        draw = max(0.0, spent_s - trained_s)
        self.draw_s += SMOOTHING * (draw - self.draw_s)
        return max(PAUSE_S, MIN_FRAME_S - spent_s)
