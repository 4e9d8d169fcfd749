"""The soak of tests/e2e/test_soak.py at full length, timed: storms on every slider, the trainer at full speed for
20,000 epochs, 50 interrupted backward passes, and memory before and after (WebAssembly and the JS heap, after a
full garbage collection). The test asks only for work and a flat memory; how long the 20,000 epochs take (it had
a 60 s budget in the test, a throughput limit that failed on a busy machine) is reported here.

    .venv/bin/python bench/soak.py [--epochs 20000] [--json]

LESSON_DIST=/path/to/dist picks the build (build.py reads it too).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from build import CHROMIUM_ARGS, DIST, find_chromium, serve_in_thread  # noqa: E402
from tests.e2e.test_soak import SLIDER_STORM, WASM_PROBE, animate_and_interrupt, epoch, memory  # noqa: E402
from tests.e2e.ui import section  # noqa: E402


def soak(epochs: int) -> dict:
    """One soak in headless Chromium: seconds for the epochs, epochs/s, memory growth."""
    server, url = serve_in_thread(DIST)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(WASM_PROBE)
            page.goto(url)
            expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=120_000)
            cdp = page.context.new_cdp_session(page)
            graph, trainer = section(page, "Computation graph"), section(page, "Trainer")
            rng = random.Random(7)
            page.evaluate(SLIDER_STORM, [500, 50, 1])
            trainer.get_by_role("combobox", name="Speed").select_option("0")
            before = memory(page, cdp)
            page.evaluate(SLIDER_STORM, [10_000, 100, 2])
            start = epoch(trainer)
            trainer.get_by_role("button", name="Train", exact=True).click()
            began = time.perf_counter()
            while epoch(trainer) < start + epochs:
                page.wait_for_timeout(50)
            seconds = time.perf_counter() - began
            done = epoch(trainer) - start
            trainer.get_by_role("button", name="Pause", exact=True).click()
            animate_and_interrupt(page, graph, rng, rounds=50)
            after = memory(page, cdp)
            browser.close()
    finally:
        server.shutdown()
    return {"epochs": done, "seconds": round(seconds, 2), "epochs_per_s": round(done / seconds, 1),
            "memory_before": before, "memory_after": after,
            "growth": {k: round((after[k] - before[k]) / before[k], 4) for k in before}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args()
    result = soak(args.epochs)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['epochs']} epochs in {result['seconds']} s ({result['epochs_per_s']} epochs/s); memory growth "
          f"wasm {result['growth']['wasm']:.1%}, JS heap {result['growth']['js_heap']:.1%}")


if __name__ == "__main__":
    main()
