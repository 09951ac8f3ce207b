"""A frame of training and drawing stays bounded for the largest network the limits allow
(issue 18: 8 layers of 128, 2,000 points, batch 1 took ~2 s a frame in the built site, so
Pause waited that long)."""
import time
from types import SimpleNamespace

import nnweb.app.session as session_module
from nnweb.app.session import Session


class FakeClock:
    """A clock that only moves when a training step runs: ``cost`` seconds a step."""

    def __init__(self, cost: float):
        self.now, self.cost = 0.0, cost

    def perf_counter(self) -> float:
        return self.now


def test_training_stops_within_one_step_of_its_budget(monkeypatch):
    """Steps of 3 ms against a 10 ms budget: the old fixed chunks of 8 steps took 24 ms."""
    s = Session()
    clock = FakeClock(0.003)
    monkeypatch.setattr(session_module, "time", SimpleNamespace(perf_counter=clock.perf_counter))
    real_step = s.trainer.step

    def step(xb, yb):
        clock.now += clock.cost
        return real_step(xb, yb)
    s.trainer.step = step
    s.running = True
    steps = s.tick(0.010)
    assert steps == s.trainer.steps
    assert 0.010 <= clock.now <= 0.010 + clock.cost, f"trained {clock.now * 1000:.0f} ms for a 10 ms budget"


def test_cheap_steps_still_fill_the_budget(monkeypatch):
    """Steps of 50 us: about 200 of them in 10 ms, in chunks (the clock is not read every step)."""
    s = Session()
    clock = FakeClock(0.00005)
    reads = []
    monkeypatch.setattr(session_module, "time",
                        SimpleNamespace(perf_counter=lambda: reads.append(1) or clock.perf_counter()))
    real_step = s.trainer.step

    def step(xb, yb):
        clock.now += clock.cost
        return real_step(xb, yb)
    s.trainer.step = step
    s.running = True
    steps = s.tick(0.010)
    assert 199 <= steps <= 201
    assert len(reads) <= steps / 2
