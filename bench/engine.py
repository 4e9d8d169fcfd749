"""Engine benchmark: Trainer epochs, 64×64 grid and compile time against a hand-written net, micrograd, torch.

One process, interleaved rounds (contenders take turns, in a rotating order), medians, ratios. Run:
    python3 bench/engine.py              # CPython tables (markdown)
    python3 bench/engine.py --pyodide    # also run this same file inside Pyodide under Node, with ratios
    python3 bench/engine.py --clock cpu  # time with the process's CPU clock: steadier when others load the machine
"""

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# `python bench/engine.py` puts bench/ first on sys.path, where this file would shadow the engine package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from engine.compile import compile_forward, compile_gradient  # noqa: E402
from engine.data import grid, moons, xor  # noqa: E402
from engine.nn import MLP  # noqa: E402
from engine.train import Trainer, loss_graph  # noqa: E402
from engine.value import Value  # noqa: E402

sys.path.append(str(HERE))
import reference  # noqa: E402

try:
    import micrograd_ext
except ImportError:  # micrograd is the bench extra
    micrograd_ext = None
try:
    import torch

    torch.set_num_threads(1)
except ImportError:
    torch = None

LR = 0.5
BLOCK_SECONDS = 0.04  # each contender runs about this long per round


def node_cpu_time() -> float:
    """Seconds of CPU the Node process running Pyodide has used (Pyodide's process_time() is wall time)."""
    from js import process  # only inside Pyodide

    used = process.cpuUsage()
    return (used.user + used.system) * 1e-6


# Wall time by default. The process's CPU time leaves out the time other programs hold the core (not their
# effect on caches), so ratios stay steadier while other work loads the machine.
CLOCKS = {"wall": time.perf_counter, "cpu": node_cpu_time if sys.platform == "emscripten" else time.process_time}
clock = CLOCKS["wall"]


def engine_runner(weights, X, Y, loss):
    model = MLP(2, [4], 1, seed=0)
    for p, w in zip(model.parameters(), weights, strict=True):
        p.data = w
    trainer = Trainer(model, X, Y, lr=LR, loss=loss)
    return trainer.step, trainer.predict


def hand_runner(weights, X, Y, loss, bce_step=reference.bce_step):
    state = [list(weights)]
    step_fn = bce_step if loss == "bce" else reference.mse_step

    def step():
        value, state[0] = step_fn(X, Y, state[0], LR)
        return value

    return step, lambda points: reference.predict(points, state[0])


def two_logs_runner(weights, X, Y, loss):
    """The earlier hand-written bce (through both logs), kept so old and new tables can be compared."""
    return hand_runner(weights, X, Y, loss, reference.bce_step_two_logs)


def micrograd_runner(weights, X, Y, loss):
    net = micrograd_ext.Net(weights)
    return (lambda: net.step(X, Y, LR, loss)), net.predict


def torch_runner(weights, X, Y, loss):
    w = torch.tensor(weights, dtype=torch.float64)
    W1 = w[:12].reshape(4, 3)[:, :2].clone().requires_grad_()
    b1 = w[:12].reshape(4, 3)[:, 2].clone().requires_grad_()
    W2 = w[12:16].clone().requires_grad_()
    b2 = w[16].clone().requires_grad_()
    params = (W1, b1, W2, b2)
    Xt = torch.tensor(X, dtype=torch.float64)
    Yt = torch.tensor(Y, dtype=torch.float64)

    def logits(inputs):
        return torch.tanh(inputs @ W1.T + b1) @ W2 + b2

    def forward(inputs):
        return torch.sigmoid(logits(inputs))

    def step():
        if loss == "bce":  # from the logit, as the engine and the hand-written epoch compute it
            value = torch.nn.functional.binary_cross_entropy_with_logits(logits(Xt), Yt)
        else:
            value = ((forward(Xt) - Yt) ** 2).mean()
        value.backward()
        with torch.no_grad():
            for t in params:
                t -= LR * t.grad
                t.grad = None
        return value.item()

    def predict(points):
        with torch.no_grad():
            return forward(torch.tensor(points, dtype=torch.float64)).tolist()

    return step, predict


def contenders(loss: str = "mse"):
    found = {"engine": engine_runner, "hand-written": hand_runner}
    if loss == "bce":
        found["two logs"] = two_logs_runner
    if micrograd_ext is not None:
        found["micrograd"] = micrograd_runner
    if torch is not None:
        found["torch"] = torch_runner
    return found


def block_size(fn) -> int:
    """How many calls fill about BLOCK_SECONDS."""
    start = clock()
    fn()
    once = max(clock() - start, 1e-7)
    return max(1, round(BLOCK_SECONDS / once))


def interleaved(fns: dict, rounds: int) -> dict:
    """Seconds per call of each fn in every round, timed in turns so drift hits every contender alike."""
    sizes = {name: block_size(fn) for name, fn in fns.items()}
    samples = {name: [] for name in fns}
    names = list(fns)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            fn, k = fns[name], sizes[name]
            start = clock()
            for _ in range(k):
                fn()
            samples[name].append((clock() - start) / k)
    return samples


def compile_seconds(rounds: int) -> dict:
    """Median time to trace the 2-4-1 net with its bce loss and compile it, whole and by part."""
    X, Y = moons(200, 0.1, seed=0)
    model = MLP(2, [4], 1, seed=0)
    xs = (Value(0.0, label="x1"), Value(0.0, label="x2"))
    y = Value(0.0, label="y")
    out = model(xs)
    loss = loss_graph(out, y, "bce")
    params = model.parameters()
    fns = {
        "Trainer(...) total": lambda: Trainer(model, X, Y, lr=LR, loss="bce"),
        "compile_gradient": lambda: compile_gradient(loss, {"X": xs, "Y": y}, params),
        "compile_forward": lambda: compile_forward(out, {"X": xs}, params),
    }
    return {name: statistics.median(s) for name, s in interleaved(fns, rounds * 3).items()}


def run(rounds: int) -> dict:
    """Every case; seconds per call, by case and contender."""
    weights = [p.data for p in MLP(2, [4], 1, seed=0).parameters()]
    X_moons, Y_moons = moons(200, 0.1, seed=0)
    X_xor, Y_xor = xor()
    X_four, Y_four = xor(1, 0.0)
    cases = {
        "epoch moons(200) bce": (X_moons, Y_moons, "bce"),
        "epoch moons(200) mse": (X_moons, Y_moons, "mse"),
        f"epoch xor() {len(X_xor)} pts bce": (X_xor, Y_xor, "bce"),
        f"epoch xor() {len(X_xor)} pts mse": (X_xor, Y_xor, "mse"),
        "epoch xor 4 corners bce": (X_four, Y_four, "bce"),
    }
    results = {}
    for case, (X, Y, loss) in cases.items():
        steps = {name: make(weights, X, Y, loss)[0] for name, make in contenders(loss).items()}
        results[case] = interleaved(steps, rounds)
    points = grid(-1.5, 2.5, -1.0, 1.5, size=64)
    predicts = {name: make(weights, X_moons, Y_moons, "bce")[1] for name, make in contenders().items()}
    results["predict 64×64 grid"] = interleaved({n: (lambda f=f: f(points)) for n, f in predicts.items()},
                                                rounds)
    return {"python": sys.version.split()[0], "platform": sys.platform, "cases": results,
            "compile": compile_seconds(rounds)}


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.1f} µs"


def median_ratio(row: dict, a: str, b: str) -> float:
    """Median over rounds of a's time / b's time in the same round: neighbours in time share the load."""
    return statistics.median(x / y for x, y in zip(row[a], row[b], strict=True))


def table(result: dict) -> str:
    """Markdown: median time per call, and median per-round ratios to the engine / hand-written."""
    names = [n for n in ("engine", "hand-written", "two logs", "micrograd", "torch")
             if any(n in row for row in result["cases"].values())]
    head = ["case", *names, "engine / hand-written"]
    head += ["engine / two logs"] if "two logs" in names else []
    head += [f"{n} / engine" for n in names if n in ("micrograd", "torch")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case, row in result["cases"].items():
        cells = [case, *(fmt(statistics.median(row[n])) if n in row else "–" for n in names)]
        cells.append(f"{median_ratio(row, 'engine', 'hand-written'):.2f}×")
        if "two logs" in names:
            cells.append(f"{median_ratio(row, 'engine', 'two logs'):.2f}×" if "two logs" in row else "–")
        cells += [f"{median_ratio(row, n, 'engine'):.1f}×" if n in row else "–" for n in names
                  if n in ("micrograd", "torch")]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| compile (2-4-1 net + bce loss) | median |")
    lines.append("|---|---|")
    lines += [f"| {name} | {fmt(t)} |" for name, t in result["compile"].items()]
    return "\n".join(lines)


def run_in_pyodide(rounds: int, clock_name: str) -> dict:
    """This file inside Pyodide under Node (bench/run_pyodide.mjs), with micrograd copied in."""
    pyodide = ROOT / "node_modules" / "pyodide"
    if not (pyodide / "pyodide.mjs").exists():
        sys.exit(f"{pyodide}/pyodide.mjs missing: run `python3 build.py` (which runs npm ci) first")
    # micrograd is pure Python: copy the installed package in rather than fetching it from the network
    micro_dir = str(Path(sys.modules["micrograd"].__file__).parent) if micrograd_ext else ""
    out = subprocess.run(["node", str(HERE / "run_pyodide.mjs"), str(pyodide), str(ROOT), micro_dir,
                          str(rounds), clock_name], capture_output=True, text=True, timeout=900)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    if out.returncode or not lines:
        sys.exit(f"Pyodide run failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def ratio_table(cpython: dict, pyodide: dict) -> str:
    """Pyodide time / CPython time for each case and contender present in both."""
    names = ["engine", "hand-written", "two logs", "micrograd"]
    lines = ["| case | " + " | ".join(names) + " |", "|" + "---|" * (len(names) + 1)]
    for case, row in pyodide["cases"].items():
        cells = [f"{statistics.median(row[n]) / statistics.median(cpython['cases'][case][n]):.2f}×"
                 if n in row else "–" for n in names]
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    for name, t in pyodide["compile"].items():
        lines.append(f"| compile: {name} | {t / cpython['compile'][name]:.2f}× | – | – | – |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON line (RESULT ...) instead")
    parser.add_argument("--pyodide", action="store_true", help="also run inside Pyodide and compare")
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="wall time, or the process's CPU time")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    result = run(args.rounds)
    result["clock"] = args.clock
    if args.json:
        print("RESULT " + json.dumps(result))
        return
    print(f"## CPython {result['python']}" + (f", torch {torch.__version__} (1 thread)" if torch else "")
          + f", {args.clock} clock")
    print()
    print(table(result))
    if args.pyodide:
        other = run_in_pyodide(args.rounds, args.clock)
        print()
        print(f"## Pyodide (Python {other['python']}) under Node {subprocess.getoutput('node --version')}")
        print()
        print(table(other))
        print()
        print("## Pyodide / CPython")
        print()
        print(ratio_table(result, other))
    # A sanity line so a broken contender cannot hide behind a fast time.
    assert all(math.isfinite(t) for row in result["cases"].values() for ts in row.values() for t in ts)


if __name__ == "__main__":
    main()
