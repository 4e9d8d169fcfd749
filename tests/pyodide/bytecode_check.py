# Runs inside Pyodide after page_wheel.mjs: does each of the lesson's modules come with bytecode that this Python
# accepts for its source, and does the page's import take it?
import importlib.util
import json
import sys
import traceback

import web.app
from web import share

slow = {"urllib.parse", "ipaddress", "numbers", "importlib.metadata"}
imported = sorted(set(sys.modules) & slow)
widgets = [widget.key for widget in web.app.make_widgets()]
lesson = {name: module for name, module in sys.modules.items() if name.split(".")[0] in ("engine", "web")}
try:
    share.decode(None)  # fails inside the lesson's code: the traceback must quote the line
except AttributeError:
    shown = traceback.format_exc()

import zipfile  # noqa: E402

with zipfile.ZipFile(WHEEL) as wheel:  # noqa: F821 (set by the runner)
    names = set(wheel.namelist())
    modules = {}
    for name in sorted(n for n in names if n.endswith(".py")):
        pyc = wheel.read(name + "c") if name + "c" in names else b""
        modules[name] = {
            "pyc": bool(pyc),
            "magic": pyc[:4] == importlib.util.MAGIC_NUMBER,
            # flags 1: an unchecked hash (PEP 552): Python takes the .pyc without reading the source, so it must match
            "unchecked_hash": int.from_bytes(pyc[4:8], "little") == 1,
            "matches_source": pyc[8:16] == importlib.util.source_hash(wheel.read(name)),
        }

json.dumps({
    "modules": modules, "widgets": widgets, "traceback": shown, "stdlib_imported": imported,
    "loaded_from": {name: module.__file__ for name, module in lesson.items()},
    "code_file_of_main": web.app.main.__code__.co_filename,
})
