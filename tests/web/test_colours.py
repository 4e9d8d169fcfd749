"""One meaning per colour across the page: the roles in style.css, their contrast, and who may use which."""

import re
from pathlib import Path

import pytest

from tests.web.colours import contrast, css_colours

STATIC = Path(__file__).resolve().parents[2] / "static"
TEXT = ("--ink", "--muted", "--forward", "--grad", "--pos", "--neg", "--accent")   # each is used for text somewhere
MARKS = ("--forward", "--grad", "--pos", "--neg", "--accent", "--muted")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_roles_read_at_4_5_to_1_and_marks_at_3_to_1_on_the_page_and_panels(scheme):
    roles = css_colours(STATIC / "style.css")[scheme]
    for ground in ("--bg", "--panel"):
        for name in TEXT:
            assert contrast(roles[name], roles[ground]) >= 4.5, (scheme, name, ground)
        for name in MARKS:
            assert contrast(roles[name], roles[ground]) >= 3.0, (scheme, name, ground)
    assert contrast(roles["--panel"], roles["--accent"]) >= 4.5  # the primary button's label on its fill


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_hues_are_told_apart(scheme):
    roles = css_colours(STATIC / "style.css")[scheme]
    hues = ("--forward", "--grad", "--pos", "--neg")
    for i, a in enumerate(hues):
        for b in hues[i + 1:]:
            distance = sum((x - y) ** 2 for x, y in zip(roles[a], roles[b], strict=True)) ** 0.5
            assert distance > 100, (scheme, a, b)  # far apart in RGB: no two roles share a colour


def test_every_role_is_defined_once_with_a_comment_in_both_schemes():
    text = (STATIC / "style.css").read_text(encoding="utf-8")
    light, dark = (css_colours(STATIC / "style.css")[s] for s in ("light", "dark"))
    root = text[text.index(":root {"):text.index("}", text.index(":root {"))]
    for line in root.splitlines():
        if re.match(r"\s*--[\w-]+:", line):
            assert "/*" in line, f"a colour role without a comment saying what it means: {line.strip()}"
    for name in ("--pos", "--neg", "--forward", "--grad", "--accent"):
        assert name in light and name in dark


def test_the_trainer_uses_only_the_roles_and_the_gradients_orange_only_for_gradients():
    css = (STATIC / "trainer.css").read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(|hsl\(", css), "colours belong in style.css's roles"
    orange = [rule for rule in re.findall(r"([^{}]+)\{([^}]*)\}", css) if "var(--grad)" in rule[1]]
    assert orange, "Show gradients draws its edges in the gradient role"
    for selector, _ in orange:  # only gradients: the gradient edges and the panel's ∂L/∂w and chain
        assert all(re.search(r"\.grad\b|panel-grad|panel-chain", s) for s in selector.split(",")), selector
    assert "var(--tangent)" not in css
    assert not re.search(r"--[\w-]+\s*:", css), "the trainer defines no colours of its own"


def test_the_chain_rules_dot_is_a_forward_value_not_a_control_colour():
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert re.search(r"svg\.plot \.marker \{ fill: var\(--forward\)", css)
