"""A keyboard-only walk through the lesson: Tab reaches every control of the three widgets, focus is visible,
and each widget can be used without a mouse."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.ui import section

CONTROLS = ("input:not([type=hidden]):not([disabled]), select:not([disabled]), button:not([disabled]), "
            "textarea:not([disabled]), [tabindex='0']")
# What the focused element is, and whether the browser draws a focus ring for it.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return { key: el.id || (el.closest('[id$=-mount]') || {}).id + ':' + (el.dataset.on || el.textContent.trim()),
           ring, visible: el.getClientRects().length > 0 };
}"""


def controls_of(page) -> set[str]:
    return set(page.evaluate(
        """(sel) => [...document.querySelectorAll('[id$=-mount]')].flatMap(m =>
            [...m.querySelectorAll(sel)].filter(el => el.getClientRects().length > 0)
              .map(el => el.id || m.id + ':' + (el.dataset.on || el.textContent.trim())))""",
        CONTROLS,
    ))


def test_tab_reaches_every_control_with_a_visible_focus_ring(new_lesson):
    page, log = new_lesson()
    wanted = controls_of(page)
    assert len(wanted) >= 15
    reached, no_ring = set(), []
    page.locator("body").focus()
    for _ in range(len(wanted) + 40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["key"] in wanted:
            reached.add(focused["key"])
            if not focused["ring"]:
                no_ring.append(focused["key"])
        if reached == wanted:
            break
    assert wanted - reached == set()
    assert no_ring == []
    log.assert_clean()


def test_each_widget_works_from_the_keyboard(new_lesson):
    page, log = new_lesson()
    chain = section(page, "Chain rule")
    graph = section(page, "Computation graph")
    trainer = section(page, "Trainer")

    chain.get_by_role("slider", name="x", exact=True).focus()
    page.keyboard.press("ArrowRight")
    expect(chain).to_contain_text("h(0.71) = 0.504")

    graph.get_by_role("slider", name="w", exact=True).focus()
    page.keyboard.press("Tab")  # onwards from the first slider to the next control, as a learner would
    graph.get_by_role("button", name="Step", exact=True).focus()
    page.keyboard.press("Enter")
    expect(graph).to_contain_text("Edge 1 of")
    page.keyboard.press("Space")
    expect(graph).to_contain_text("Edge 2 of")

    trainer.get_by_role("button", name="Step", exact=True).focus()
    page.keyboard.press("Enter")
    expect(trainer.locator("#trainer-epoch")).to_contain_text(re.compile(r"Epoch 1\b"))
    dataset = trainer.get_by_role("combobox", name="Dataset")
    dataset.focus()
    before = dataset.input_value()
    page.keyboard.press("ArrowDown" if before == "xor" else "ArrowUp")
    expect(dataset).not_to_have_value(before)
    log.assert_clean()
