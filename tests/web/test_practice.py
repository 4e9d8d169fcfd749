"""Practice graphs: the generator (every kind, 1,000 seeds each) and the diagnosis of mistakes made on purpose."""

import math

import pytest

from engine import Value
from web.expr import build, parse
from web.practice.puzzle import KINDS, SEEDS, apart, close, diagnose, draw

SEEDS_CHECKED = 1000


def _friendly(v: float) -> bool:
    return v != 0 and abs(v) <= 3 and abs(v * 10 - round(v * 10)) < 1e-9


@pytest.mark.parametrize("kind", KINDS)
def test_every_seed_gives_a_fair_graph(kind):
    seen_mistakes = set()
    for seed in range(SEEDS_CHECKED):
        puzzle = draw(kind, seed)
        scene = puzzle.scene
        assert 3 <= puzzle.operations <= 7, (seed, puzzle.line)
        names = [leaf.name for leaf in puzzle.leaves]
        if kind == "neuron":
            assert names == ["w", "x", "b", "y*"]
            assert puzzle.leaves[3].value in (0.0, 1.0)
            assert all(_friendly(leaf.value) for leaf in puzzle.leaves[:3])
        else:
            assert names == list("abcd"[: len(names)]) and len(names) >= 2
            assert all(_friendly(leaf.value) for leaf in puzzle.leaves), puzzle.line
        # No overflow, and no gradient 0 by accident (nor one too large to work out by hand).
        for node in scene.order:
            assert math.isfinite(node.data) and abs(node.data) <= 1000, puzzle.line
        for step in puzzle.steps:
            assert step.contribution != 0 and math.isfinite(step.contribution), puzzle.line
        for leaf in puzzle.leaves:
            assert 0.01 <= abs(leaf.grad) <= 1000, puzzle.line
        paths = [leaf.paths for leaf in puzzle.leaves]
        if kind == "one":
            assert set(paths) == {1}
        elif kind == "two":
            assert max(paths) >= 2
        # The line reads back, through the Expression field's reader, as the same L at the same values.
        text, where = puzzle.line.removeprefix("L = ").split(", where ")
        values = {k: float(v.replace("−", "-")) for k, v in (part.split(" = ") for part in where.split(", "))}
        assert text == puzzle.text
        rebuilt = build(parse(text), {k: Value(v) for k, v in values.items()})
        assert rebuilt.data == pytest.approx(scene.root.data, rel=1e-12)
        # Every mistake's number stands apart from the answer and from each other mistake's.
        for leaf in puzzle.leaves:
            numbers = [leaf.grad] + [m.value for m in leaf.mistakes]
            assert all(apart(u, v) for i, u in enumerate(numbers) for v in numbers[i + 1:]), (seed, leaf)
            seen_mistakes |= {m.kind for m in leaf.mistakes}
    expected = {"sign", "forward", "local", "stopped"} | ({"paths"} if kind == "two" else set())
    assert seen_mistakes >= expected


@pytest.mark.parametrize("kind", KINDS)
def test_same_kind_and_seed_same_graph_and_every_seed_is_accepted(kind):
    assert draw(kind, 7).line == draw(kind, 7).line
    assert draw(kind, 7).line != draw(kind, 8).line
    assert draw(kind, SEEDS - 1).operations >= 3
    with pytest.raises(ValueError):
        draw(kind, SEEDS)
    with pytest.raises(ValueError):
        draw("three", 0)


@pytest.mark.parametrize("kind", KINDS)
def test_right_answers_are_never_diagnosed_and_every_mistake_is_named(kind):
    for seed in range(200):
        for leaf in draw(kind, seed).leaves:
            for answer in (leaf.grad, leaf.grad * 1.004, float(f"{leaf.grad:.4f}")):
                right, message = diagnose(leaf, answer)
                assert right and message.startswith("Right"), (seed, leaf.name, answer)
            for mistake in leaf.mistakes:
                assert diagnose(leaf, mistake.value) == (False, mistake.message)
            far = 2 * max(abs(v) for v in [leaf.grad, *(m.value for m in leaf.mistakes)]) + 1.234
            assert diagnose(leaf, far)[1].startswith("Not yet")


def _find(kind: str, want) -> tuple:
    """The first puzzle (and leaf) of a kind for which want(puzzle, leaf) holds."""
    for seed in range(500):
        puzzle = draw(kind, seed)
        for leaf in puzzle.leaves:
            if want(puzzle, leaf):
                return puzzle, leaf
    raise AssertionError("no such puzzle")


def test_mistakes_made_on_purpose_on_a_neuron_are_named():
    # L = (σ(w·x + b) − y*)²: every mistake below is worked out here by hand, not by the generator.
    # (x = ±1 would make stopping at z right: ∂z/∂w = x.)
    puzzle, leaf = _find("neuron", lambda p, leaf: leaf.name == "w" and abs(p.leaves[1].value) != 1)
    values = {k.name: k.value for k in puzzle.leaves}
    w, x, b, y = values["w"], values["x"], values["b"], values["y*"]
    z = w * x + b
    s = 1 / (1 + math.exp(-z))
    d = s - y
    right = 2 * d * s * (1 - s) * x
    assert close(leaf.grad, right)
    said = {
        "sign": diagnose(leaf, -right),
        "forward": diagnose(leaf, w),
        "sigma at z": diagnose(leaf, 2 * d * z * (1 - z) * x),
        "square as x": diagnose(leaf, d * s * (1 - s) * x),
        "stopped at s": diagnose(leaf, 2 * d),
        "stopped at z": diagnose(leaf, 2 * d * s * (1 - s)),
    }
    assert all(not ok for ok, _ in said.values()), said
    assert "sign is flipped" in said["sign"][1]
    assert "w's value from the forward pass" in said["forward"][1]
    assert "s = σ(z) the local derivative is s(1 − s)" in said["sigma at z"][1]
    assert "you used z" in said["sigma at z"][1]
    assert "L = d² the local derivative is 2d, not d" in said["square as x"][1]
    assert said["stopped at s"][1].startswith("You stopped at s")
    assert said["stopped at z"][1].startswith("You stopped at")  # at z, or at p: the add between has local 1
    assert "∂L/∂z" in said["stopped at z"][1] or "∂L/∂p" in said["stopped at z"][1]
    assert diagnose(leaf, right * 3.7 + 0.9)[1].startswith("Not yet")


def test_one_path_of_two_is_named():
    _puzzle, leaf = _find("two", lambda p, leaf: leaf.paths == 2)
    one_path = next(m for m in leaf.mistakes if m.kind == "paths")
    right, message = diagnose(leaf, one_path.value)
    assert not right
    assert message == f"{leaf.name} reaches L along 2 paths; your answer is one of them. Add the other."
    others = [m.value for m in leaf.mistakes if m.kind == "paths"]
    assert close(sum(others), leaf.grad)  # the two paths add up to the answer


def test_a_sign_flip_names_the_negative_edges():
    _puzzle, leaf = _find("one", lambda p, leaf: any(s.local < 0 for s in p.steps))
    message = diagnose(leaf, -leaf.grad)[1]
    assert message.startswith("The sign is flipped")
    assert "negative here:" in message or "every local derivative is positive" in message
