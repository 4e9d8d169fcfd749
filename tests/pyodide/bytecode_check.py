# Runs inside Pyodide after unpack_wheel.mjs: is each of the lesson's modules loaded from the wheel's bytecode?
import importlib.util
import json
import pathlib
import site
import sys

root = pathlib.Path(site.getsitepackages()[0])
modules = {}
for source in sorted([*root.glob("engine/**/*.py"), *root.glob("web/**/*.py")]):
    cached = pathlib.Path(importlib.util.cache_from_source(str(source)))
    pyc = cached.read_bytes() if cached.exists() else b""
    modules[str(source.relative_to(root))] = {
        "pyc": cached.exists(),
        "magic": pyc[:4] == importlib.util.MAGIC_NUMBER,
        # flags 1: an unchecked hash (PEP 552): Python takes the .pyc without reading the source, so it must match
        "unchecked_hash": int.from_bytes(pyc[4:8], "little") == 1,
        "matches_source": pyc[8:16] == importlib.util.source_hash(source.read_bytes()),
    }

import web.app  # noqa: E402

widgets = [widget.key for widget in web.app.make_widgets()]
loaded = {name: str(pathlib.Path(module.__file__).relative_to(root)) for name, module in sys.modules.items()
          if name.split(".")[0] in ("engine", "web")}
slow = {"urllib.parse", "ipaddress", "numbers", "importlib.metadata"}
json.dumps({"modules": modules, "widgets": widgets, "loaded": loaded,
            "stdlib_imported": sorted(set(sys.modules) & slow)})
