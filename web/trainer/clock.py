"""The frame budget: how long training may run in one animation frame, and the measured epochs and frames/s.

Per frame, Python may use FRAME_WORK_S in all (a 60 Hz frame is 16.7 ms and the browser needs the rest to patch
and paint); training gets what drawing the previous frame left of it, within these bounds. The clock is passed
in, so tests drive it with a fake one.
"""

from __future__ import annotations

import time

FRAME_WORK_S = 0.012
TRAIN_BUDGET_S = 0.010
MIN_BUDGET_S = 0.003
RATE_WINDOW_MS = 500.0


class FrameClock:
    """Splits each frame's time between training and drawing, and measures the rates training reaches."""

    def __init__(self, clock=time.perf_counter, budget: float = TRAIN_BUDGET_S):
        self.clock, self.budget = clock, budget
        self.drawing = 0.0        # seconds the last frame spent after training: view, patch and canvases
        self.trained_at: float | None = None
        self.window: tuple[float, int, int] | None = None  # (start ms, epoch, frames) of the rate window
        self.frames = 0
        self.rate = ""            # "912 epochs/s · 60 frames/s", shown while training

    def deadline(self) -> float:
        """When this frame's training must stop, on the clock: the budget less what drawing needed."""
        return self.clock() + min(self.budget, max(MIN_BUDGET_S, FRAME_WORK_S - self.drawing))

    def trained(self, now_ms: float, epoch: int) -> None:
        """Training for this frame is over: start timing the drawing and count the frame."""
        self.trained_at = self.clock()
        self.frames += 1
        if self.window is None:
            self.window = (now_ms, epoch, self.frames)
            return
        start, first, frames = self.window
        elapsed = now_ms - start
        if elapsed >= RATE_WINDOW_MS:
            eps = (epoch - first) * 1000.0 / elapsed
            fps = (self.frames - frames) * 1000.0 / elapsed
            self.rate = f"{eps:,.0f} epochs/s · {fps:.0f} frames/s"
            self.window = (now_ms, epoch, self.frames)

    def drawn(self) -> None:
        """The page has patched the view and painted: what that cost is left free in the next frame."""
        if self.trained_at is not None:
            self.drawing = self.clock() - self.trained_at
            self.trained_at = None

    def restart_window(self) -> None:
        """Training (re)starts: measure from the next frame, not across the pause."""
        self.window = None
