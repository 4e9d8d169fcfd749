"""Soak: a learner (or a curious cat) hammering every widget; afterwards no console errors, every widget still
answers, and memory stays flat after warm-up.

It asks for work, not speed: the trainer runs a number of epochs, and the test fails only if training stops moving
(no new epoch for STALL_S seconds), never because it was slow. How fast it goes is bench/soak.py's to measure,
with the 20,000 epochs this test once ran against a 60 s budget.
"""

from __future__ import annotations

import random
import re

from playwright.sync_api import expect

from tests.e2e.ui import number_after, section

EPOCHS = 2_000  # after warm-up: enough steps through the compiled code for a per-epoch leak to show in memory
STALL_S = 30  # a freeze, not slowness: the page's own boot watchdog gives up after as long without progress

# Before any page script: keep every WebAssembly memory Pyodide creates, so the test can read its size.
WASM_PROBE = """
window.__wasmMemories = [];
const keep = (m) => { if (m instanceof WebAssembly.Memory) window.__wasmMemories.push(m); };
const NativeMemory = WebAssembly.Memory;
WebAssembly.Memory = new Proxy(NativeMemory, {
  construct(target, args) { const m = new target(...args); keep(m); return m; },
});
for (const name of ["instantiate", "instantiateStreaming"]) {
  const native = WebAssembly[name];
  WebAssembly[name] = async function (...args) {
    const result = await native.apply(this, args);
    if (result && result.instance) keep(result.instance.exports.memory);
    return result;
  };
}
"""

# Fires `count` input events on randomly chosen sliders of all three widgets, yielding a frame every `batch`.
SLIDER_STORM = """
async ([count, batch, seed]) => {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sliders = [...document.querySelectorAll('#chain-mount input[type=range], #graph-mount input[type=range], '
                                               + '#trainer-mount input[type=range][data-on=lr]')];
  for (let i = 0; i < count; i++) {
    const el = sliders[Math.floor(rand() * sliders.length)];
    const lo = Number(el.min), hi = Number(el.max);
    el.value = String(lo + rand() * (hi - lo));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    if (i % batch === batch - 1) await new Promise(requestAnimationFrame);
  }
  return sliders.length;
}
"""


def memory(page, cdp) -> dict[str, int]:
    """WebAssembly memory and used JS heap in bytes, after a full garbage collection."""
    cdp.send("HeapProfiler.collectGarbage")
    wasm = page.evaluate("Math.max(0, ...window.__wasmMemories.map(m => m.buffer.byteLength))")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
    return {"wasm": int(wasm), "js_heap": int(heap)}


def epoch(trainer) -> int:
    return int(number_after(trainer.locator("#trainer-epoch").inner_text(), "Epoch"))


def test_soak_every_widget_survives_and_memory_stays_flat(new_lesson):
    page, log = new_lesson(init_script=WASM_PROBE)
    cdp = page.context.new_cdp_session(page)
    graph = section(page, "Computation graph")
    chain = section(page, "Chain rule")
    trainer = section(page, "Trainer")
    rng = random.Random(7)

    # warm-up: a little of everything, so caches and pools exist before the baseline
    page.evaluate(SLIDER_STORM, [500, 50, 1])
    trainer.get_by_role("combobox", name="Speed").select_option("0")
    train_until(trainer, 500)
    animate_and_interrupt(page, graph, rng, rounds=3)
    before = memory(page, cdp)
    assert before["wasm"] > 0, "the probe found no WebAssembly memory"

    assert page.evaluate(SLIDER_STORM, [10_000, 100, 2]) >= 6
    start = epoch(trainer)
    train_until(trainer, start + EPOCHS)
    animate_and_interrupt(page, graph, rng, rounds=50)
    page.evaluate(SLIDER_STORM, [200, 50, 3])
    after = memory(page, cdp)

    growth = {k: (after[k] - before[k]) / before[k] for k in before}
    print(f"\nsoak memory before {before} after {after} growth {growth}")
    log.assert_clean()
    assert growth["wasm"] < 0.05 and growth["js_heap"] < 0.05

    # every widget still answers
    x = chain.get_by_role("slider", name="x", exact=True)
    x.focus()
    page.keyboard.press("Home")
    expect(chain).to_contain_text(re.compile(r"h\([-−]2\.00\) = 4\.000"))
    graph.get_by_role("button", name="Reset", exact=True).click()
    graph.get_by_role("button", name="Step", exact=True).click()
    expect(graph).to_contain_text("Edge 1 of")
    n = epoch(trainer)
    trainer.get_by_role("button", name="Step", exact=True).click()
    expect(trainer.locator("#trainer-epoch")).to_contain_text(f"Epoch {n + 1}")
    log.assert_clean()


def train_until(trainer, target: int) -> None:
    """Train until the epoch counter reaches target, however long that takes while it keeps moving."""
    trainer.get_by_role("button", name="Train", exact=True).click()
    expect(trainer.locator("#trainer-epoch")).to_contain_text(re.compile(r"Epoch \d+"))
    last, still = epoch(trainer), 0
    while last < target:
        trainer.page.wait_for_timeout(100)
        now = epoch(trainer)
        still = still + 1 if now == last else 0
        assert still < STALL_S * 10, f"training stopped at epoch {now}"
        last = now
    trainer.get_by_role("button", name="Pause", exact=True).click()


def animate_and_interrupt(page, graph, rng: random.Random, rounds: int) -> None:
    """Start the backward animation and cut it short at a random moment in one of three ways."""
    # After Step the button resumes the pass, so it is named Resume then.
    animate = graph.get_by_role("button", name=re.compile("^(Animate backward pass|Resume)$"))
    for _ in range(rounds):
        animate.click()
        page.wait_for_timeout(rng.randint(0, 400))
        way = rng.choice(("slider", "reset", "step"))
        if way == "slider":
            page.evaluate("""() => { const el = document.querySelector('#graph-mount input[type=range]');
                el.value = String(Number(el.value) === 0 ? 0.5 : 0);
                el.dispatchEvent(new Event('input', { bubbles: true })); }""")
        else:
            graph.get_by_role("button", name="Reset" if way == "reset" else "Step", exact=True).click()
