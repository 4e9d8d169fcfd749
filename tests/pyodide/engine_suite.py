# Runs inside Pyodide (see run_engine.mjs); the value of the last line is printed as RESULT.
import json
import math
import sys
import time

sys.path.insert(0, "/home/pyodide")

import engine_checks

from engine import Tally, Value, jvp, release, topological_order
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

# Forward mode on its own: a 100,000-node chain, and jvp = gradient · tangent on random DAGs.
x = Value(0.5)
v = x
for _ in range(100_000):
    v = v.sin()
v.backward()
tally = Tally()
slope = jvp(v, {x: 1.0}, tally)
report["jvp_chain"] = {"equal_to_grad": engine_checks.close(slope, x.grad, 1e-9), "rules": tally.rules}
release(v)
del v
rng = engine_checks.random.Random(3)
jvp_failures = []
for _ in range(200):
    program, xs = engine_checks.random_program(rng, n_leaves=rng.randint(2, 5), n_ops=rng.randint(1, 20))
    checks = (engine_checks.check_jvp(program, xs, rng), engine_checks.check_tally(program, xs))
    jvp_failures += [m for m in checks if m]
report["jvp"] = {"programs": 200, "failures": jvp_failures}

X, Y = moons(200, 0.1, seed=0)
report["moons_checksum"] = repr(math.fsum(a + 2 * b for a, b in X))
trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=0.5, loss="bce")
start = time.perf_counter()
trainer.run(300)
report["train"] = {"first": trainer.losses[0], "last": trainer.losses[-1], "epochs": trainer.epoch,
                   "epochs_per_second": 300 / (time.perf_counter() - start), "diverged": trainer.diverged}
json.dumps(report)
