# Runs inside Pyodide (see run_engine.mjs); the value of the last line is printed as RESULT.
import json
import math
import sys
import time

sys.path.insert(0, "/home/pyodide")

import engine_checks

from engine import Value, release, topological_order
from engine.data import moons
from engine.nn import MLP
from engine.train import Trainer

report = {"python": sys.version.split()[0], "platform": sys.platform}
start = time.perf_counter()
report.update(engine_checks.run_all(seed=0, n_programs=60))
report["checks_seconds"] = time.perf_counter() - start

# The 100,000-node chain once more, timed, through release() (run_all covered it too).
start = time.perf_counter()
v = Value(0.5)
for _ in range(100_000):
    v = v.tanh() if len(v.parents) % 2 else v.sin()
n_nodes = len(topological_order(v))
v.backward()
release(v)
del v
report["chain"] = {"nodes": n_nodes, "seconds": time.perf_counter() - start}

X, Y = moons(200, 0.1, seed=0)
report["moons_checksum"] = repr(math.fsum(a + 2 * b for a, b in X))
trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=0.5, loss="bce")
start = time.perf_counter()
trainer.run(300)
report["train"] = {"first": trainer.losses[0], "last": trainer.losses[-1], "epochs": trainer.epoch,
                   "epochs_per_second": 300 / (time.perf_counter() - start), "diverged": trainer.diverged}
json.dumps(report)
