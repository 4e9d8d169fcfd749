# Runs inside Pyodide (see install_wheel.mjs): install the lesson's wheel with micropip, import it, check the engine.
import importlib.metadata
import json
import sys

import micropip

await micropip.install(WHEEL_URL, deps=False)  # noqa: F704, F821 (top-level await and a global set by the runner)

import engine  # noqa: E402
import web.app  # noqa: E402
from engine import Value, backward_steps  # noqa: E402

# The lesson's neuron at its defaults (DESIGN.md §4): its gradient by backward() and by replaying backward_steps.
w, x, b, y = Value(0.5, label="w"), Value(1.0, label="x"), Value(0.1, label="b"), Value(1.0, label="y*")
L = ((w * x + b).sigmoid() - y) ** 2
L.backward()
replayed = sum(s.contribution for s in backward_steps(L) if s.parent is w)
json.dumps({
    "python": sys.version.split()[0],
    "micropip": micropip.__version__,
    "installed": {name: pkg.version for name, pkg in micropip.list().items()},
    "lesson_version": importlib.metadata.version("backprop-lesson"),
    "engine_file": engine.__file__,
    "widgets": [widget.key for widget in web.app.make_widgets()],
    "L": repr(L.data), "dL_dw": repr(w.grad), "replayed": repr(replayed),
})
