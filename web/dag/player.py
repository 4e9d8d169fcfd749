"""The pass clock: which backward step is in flight, how many have landed, and whether it plays.

A `Player` is a value: every change returns a new one, so the widget's state holds it and nothing else writes
into it. With motion, step k is in flight (`active`, `progress` 0 → 1) and lands when its time is up. With
reduced motion (`eager`) a step lands the moment it becomes active and the next one jumps in a beat later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

STEP_MS = 600.0  # one edge of the backward pass; the lesson's 8 edges take 4.8 s
PASS_MAX_MS = 15_000.0  # a learner's big expression plays faster, so no pass lasts longer than this


@dataclass(frozen=True)
class Player:
    """Where the backward pass is: `applied` steps landed, `active` the one shown (None before and after)."""

    total: int
    step_ms: float = STEP_MS
    eager: bool = False
    applied: int = 0
    active: int | None = None
    playing: bool = False
    progress: float = 0.0
    since: float | None = None  # when the step in flight started; None until the next frame says what time it is

    @staticmethod
    def of(total: int) -> Player:
        """A fresh clock for a pass of `total` steps, faster per step for a long pass."""
        return Player(total, step_ms=min(STEP_MS, PASS_MAX_MS / max(total, 1)))

    @property
    def started(self) -> bool:
        return self.playing or self.applied > 0 or self.active is not None

    @property
    def finished(self) -> bool:
        return self.applied >= self.total

    @property
    def paused(self) -> bool:
        """Stopped part-way through the pass: the play button resumes."""
        return not self.playing and self.started and not self.finished

    def reset(self) -> Player:
        """Before the pass: nothing applied, nothing active, not playing."""
        return Player(self.total, self.step_ms, self.eager)

    def play(self, *, eager: bool = False) -> Player:
        """Start or resume the pass; while playing, pause instead (the button is a toggle)."""
        if self.playing:
            return self.pause()
        p = self.reset() if self.finished else self
        p = replace(p, eager=eager)
        if p.total == 0:
            return p
        p = replace(p, playing=True, since=None, progress=0.0)
        return p.land() if eager else replace(p, active=p.applied)

    def pause(self) -> Player:
        """Stop here; an edge in flight stays active but unapplied."""
        return replace(self, playing=False, progress=0.0, since=None)

    def step(self) -> Player:
        """Apply exactly one edge (the one in flight, if any) and pause; unchanged but paused once complete."""
        p = self.pause()
        return p if p.finished else p.land()

    def land(self) -> Player:
        return replace(self, applied=self.applied + 1, active=self.applied)

    def frame(self, now_ms: float) -> Player:
        """Advance to now_ms: land every step whose time is up, then set the in-flight progress."""
        if not self.playing:
            return self
        p = self if self.since is not None else replace(self, since=now_ms)
        while p.playing and now_ms - p.since >= p.step_ms:
            p = replace(p, since=p.since + p.step_ms)._tick()
        return replace(p, progress=(now_ms - p.since) / p.step_ms if p.playing else 0.0)

    def _tick(self) -> Player:
        p = self if self.eager else replace(self, applied=self.applied + 1)
        if p.finished:
            # One beat after the last edge lands (eager) or as it lands: the pass is over.
            return replace(p, playing=False, active=None, since=None)
        return p.land() if p.eager else replace(p, active=p.applied)
