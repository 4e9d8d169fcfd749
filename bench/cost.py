"""Cost-of-a-gradient benchmark: the three methods' time against k, as the widget runs them, in CPython and Pyodide.

For each k, one process times one forward pass, reverse mode, forward mode and finite differences (each run whole,
no frame slicing), takes the median over rounds, and reports milliseconds, the ratio to one forward pass, and the
longest single pass (the widget runs one pass per step, so that is the shortest task it can make). Run:
    python3 bench/cost.py              # CPython table (markdown)
    python3 bench/cost.py --pyodide    # the same file inside Pyodide under Node, too
    .venv/bin/python bench/cost.py --browser   # the widget itself in headless Chromium: its times, long tasks
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from web.cost import network  # noqa: E402
from web.cost.measure import RUN_ORDER, RUNNERS, Result, label  # noqa: E402

KS = (1, 2, 4, 8, 16, 32, 64)

# Runs this file inside Pyodide under Node: copies engine/, web/ and the package it measures into its file system.
NODE_SCRIPT = """
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const [pyodideDir, repo, rounds] = process.argv.slice(1);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const home = "/home/pyodide";
for (const dir of ["engine", "web", "web/cost", "bench"]) {
  pyodide.FS.mkdirTree(`${home}/${dir}`);
  for (const name of readdirSync(join(repo, dir)).filter((n) => n.endsWith(".py"))) {
    pyodide.FS.writeFile(`${home}/${dir}/${name}`, readFileSync(join(repo, dir, name)));
  }
}
pyodide.globals.set("rounds", rounds);
await pyodide.runPythonAsync(`
import runpy, sys
sys.path.insert(0, "${home}")
sys.argv = ["cost.py", "--json", "--rounds", str(rounds)]
runpy.run_path("${home}/bench/cost.py", run_name="__main__")
`);
"""


def time_method(k: int, name: str) -> tuple[float, list[float], int]:
    """(seconds for the whole method, each pass's seconds, rule applications) on a fresh graph."""
    net = network.build(k)
    result = Result()
    steps = RUNNERS[name](net, result)
    passes = []
    start = time.perf_counter()
    while True:
        before = time.perf_counter()
        if next(steps, True) is True:
            break
        passes.append(time.perf_counter() - before)
    return time.perf_counter() - start, passes, result.tally.rules


def measure(rounds: int) -> dict:
    """{k: {method: {ms, pass_p95_ms, rules}}}: medians over rounds (methods interleaved within a round), and the
    95th percentile of single passes (a loaded machine preempts the odd pass; the median round hides that)."""
    table = {}
    for k in KS:
        samples = {name: [] for name in RUN_ORDER}
        for r in range(rounds):
            order = RUN_ORDER[r % len(RUN_ORDER):] + RUN_ORDER[:r % len(RUN_ORDER)]
            for name in order:
                samples[name].append(time_method(k, name))
        table[k] = {}
        for name, got in samples.items():
            passes = sorted(t for s in got for t in s[1])
            table[k][name] = {"ms": 1000 * statistics.median(s[0] for s in got),
                              "pass_p95_ms": 1000 * passes[int(0.95 * (len(passes) - 1))], "rules": got[0][2]}
    return {"python": sys.version.split()[0], "platform": sys.platform, "table": table}


def markdown(report: dict) -> str:
    """The table as bench/README.md shows it."""
    lines = [f"Python {report['python']} ({report['platform']})", "",
             "| k | n | " + " | ".join(f"{label(m)} ms (× pass)" for m in ("pass", "reverse", "forward", "finite"))
             + " | pass p95 ms |",
             "|---:|---:|" + "---:|" * 5]
    for k, row in report["table"].items():
        one = row["pass"]["ms"]
        cells = [f"{row[m]['ms']:.3g} ({row[m]['ms'] / one:.3g}×)" for m in ("pass", "reverse", "forward", "finite")]
        longest = max(row[m]["pass_p95_ms"] for m in row)
        lines.append(f"| {k} | {network.parameter_count(int(k))} | " + " | ".join(cells) + f" | {longest:.3g} |")
    return "\n".join(lines)


def run_pyodide(rounds: int) -> dict:
    """This benchmark inside Pyodide under Node (needs node_modules/pyodide: run `python3 build.py` once)."""
    pyodide = ROOT / "node_modules" / "pyodide"
    out = subprocess.run(["node", "--input-type=module", "-e", NODE_SCRIPT, str(pyodide), str(ROOT), str(rounds)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# Runs before any page script: records long tasks (as bench/page.py does).
PROBE = """
window.__bench = {tasks: []};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.tasks.push(e.duration);
}).observe({type: "longtask", buffered: true});
"""


def run_browser(rounds: int) -> dict:
    """The widget in headless Chromium: for each k, the times it shows and the longest task while it worked."""
    from playwright.sync_api import expect, sync_playwright

    from build import CHROMIUM_ARGS, DIST, find_chromium, serve_in_thread

    server, url = serve_in_thread(DIST)
    table: dict[int, dict] = {k: {name: [] for name in (*RUN_ORDER, "longest_task_ms", "seconds")} for k in KS}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(PROBE)
            page.goto(url)
            expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=120_000)
            section = page.get_by_role("region", name="Cost of a gradient", exact=True)
            slider = section.get_by_role("slider", name="Hidden units", exact=True)
            for _ in range(rounds):
                for k in KS:
                    slider.fill(str(k + 1 if k < 64 else 63))  # move away, so every round measures afresh
                    page.evaluate("() => { window.__bench.tasks = []; }")
                    start = time.perf_counter()
                    slider.fill(str(k))
                    expect(section).to_contain_text(f"Parameters: {4 * k + 1} ")
                    expect(section.locator(".cost-row.running")).to_have_count(0, timeout=120_000)
                    table[k]["seconds"].append(time.perf_counter() - start)
                    for row in section.locator(".cost-row").all():
                        name = next(c for c in row.get_attribute("class").split() if c in RUN_ORDER)
                        detail = row.locator(".cost-detail").inner_text()
                        table[k][name].append(float(detail.split(", ")[1].split(" ms")[0].replace(",", "")))
                    table[k]["longest_task_ms"].append(max(page.evaluate("() => window.__bench.tasks"), default=0))
            browser.close()
    finally:
        server.shutdown()
    return {k: {name: statistics.median(v) if name != "longest_task_ms" else max(v) for name, v in row.items()}
            for k, row in table.items()}


def browser_markdown(table: dict) -> str:
    """The browser run as a table: the widget's own times (medians) and the longest task seen at each k."""
    lines = ["| k | n | " + " | ".join(f"{label(m)} ms" for m in ("pass", "reverse", "forward", "finite"))
             + " | all done after s | longest task ms |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for k, row in table.items():
        cells = " | ".join(f"{row[m]:.3g}" for m in ("pass", "reverse", "forward", "finite"))
        lines.append(f"| {k} | {network.parameter_count(k)} | {cells} | {row['seconds']:.2f} | "
                     f"{row['longest_task_ms']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the report as one JSON line")
    parser.add_argument("--pyodide", action="store_true", help="also run inside Pyodide under Node")
    parser.add_argument("--browser", action="store_true", help="only the widget in headless Chromium (needs dist/)")
    args = parser.parse_args()
    if args.browser:
        print(browser_markdown(run_browser(args.rounds)))
        return
    report = measure(args.rounds)
    if args.json:
        print(json.dumps(report))
        return
    print(markdown(report))
    if args.pyodide:
        print()
        print(markdown(run_pyodide(args.rounds)))


if __name__ == "__main__":
    main()
