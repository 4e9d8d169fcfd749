# Runs inside a Pyodide restored from a snapshot, after the page's boot steps (see snapshot.mjs): what the snapshot
# kept, whether the lesson's modules still import from the wheel, and the engine's checks.
import json
import random
import sys

kept = sorted(name for name in sys.modules if name.split(".")[0] in ("engine", "web"))
import web.dom  # noqa: E402  (the one lesson module the snapshot does not hold: it imports js)

sys.path.insert(0, "/home/pyodide")
import engine_checks  # noqa: E402

from web.app import make_widgets  # noqa: E402

checks = engine_checks.run_all(seed=0, n_programs=20)
json.dumps({
    "kept": kept, "dom_from": web.dom.__file__, "path": sys.path, "draw": random.random(),
    "widgets": [widget.key for widget in make_widgets()], "failures": checks["failures"], "rules": checks["rules"],
})
