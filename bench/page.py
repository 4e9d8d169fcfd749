"""The lesson page in headless Chromium: time to interactive, then the trainer at full speed on two moons.

Measures epochs per second (from the page's own epoch counter), frames per second (a requestAnimationFrame
counter injected before the page loads) and the longest task (PerformanceObserver 'longtask') while training.
Targets from issue 5: >= 600 epochs/s, >= 30 frames/s, no task over 50 ms.

    .venv/bin/python bench/page.py [--seconds 5] [--dataset moons] [--points 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build import DIST, find_chromium, serve_in_thread  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Runs before any page script: counts animation frames and records long tasks with their start times.
PROBE = """
window.__bench = {frames: 0, tasks: []};
(function tick() { requestAnimationFrame(() => { window.__bench.frames += 1; tick(); }); })();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.tasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
"""
TARGETS = {"epochs_per_s": 600, "frames_per_s": 30, "longest_task_ms": 50}


def epoch_of(text: str) -> int:
    match = re.search(r"Epoch (\d+)", text)
    if not match:
        raise RuntimeError(f"no epoch counter in {text!r}")
    return int(match.group(1))


def measure(page, section, seconds: float) -> dict[str, float]:
    """Read the counters at the start and end of a window of `seconds` while training runs."""
    epoch = section.locator("#trainer-epoch")
    start = page.evaluate("[performance.now(), window.__bench.frames]")
    e0 = epoch_of(epoch.inner_text())
    time.sleep(seconds)
    end = page.evaluate("[performance.now(), window.__bench.frames]")
    e1 = epoch_of(epoch.inner_text())
    tasks = page.evaluate(f"window.__bench.tasks.filter(t => t[0] >= {start[0]}).map(t => t[1])")
    elapsed = (end[0] - start[0]) / 1000.0
    return {
        "seconds": round(elapsed, 2),
        "epochs_per_s": round((e1 - e0) / elapsed, 1),
        "frames_per_s": round((end[1] - start[1]) / elapsed, 1),
        "longest_task_ms": round(max(tasks, default=0.0), 1),
        "long_tasks": len(tasks),
        "widget_says": section.locator("#trainer-rate").inner_text(),
    }


def run(seconds: float, dataset: str, points: int) -> dict[str, object]:
    from playwright.sync_api import expect, sync_playwright

    if not (DIST / "index.html").exists():
        raise SystemExit("dist/ is missing: run `python3 build.py` first")
    server, url = serve_in_thread(DIST)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.add_init_script(PROBE)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            t0 = time.perf_counter()
            page.goto(url)
            expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=90_000)
            ready_s = time.perf_counter() - t0
            section = page.get_by_role("region", name="Trainer", exact=True)
            section.scroll_into_view_if_needed()
            if dataset == "moons":
                section.get_by_role("combobox", name="Dataset").select_option("moons")
                section.get_by_role("slider", name="Number of points").fill(str(points))
            section.get_by_role("combobox", name="Speed").select_option("0")
            section.get_by_role("button", name="Train", exact=True).click()
            expect(section.get_by_role("button", name="Pause", exact=True)).to_be_visible()
            time.sleep(1.0)  # warm up: first frames compile and allocate
            result = measure(page, section, seconds)
            section.get_by_role("button", name="Pause", exact=True).click()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    result.update({"dataset": dataset, "points": points if dataset == "moons" else 100,
                   "time_to_interactive_s": round(ready_s, 2), "console_errors": errors})
    result["meets_targets"] = (result["epochs_per_s"] >= TARGETS["epochs_per_s"]
                               and result["frames_per_s"] >= TARGETS["frames_per_s"]
                               and result["longest_task_ms"] <= TARGETS["longest_task_ms"])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the measured window")
    parser.add_argument("--dataset", choices=("moons", "xor"), default="moons")
    parser.add_argument("--points", type=int, default=200, help="number of points for moons")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.seconds, args.dataset, args.points)
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name:>22}: {value}")
    return 0 if result["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
