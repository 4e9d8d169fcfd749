// The loader: start Pyodide from ./pyodide/, unpack the lesson's wheel into site-packages, hand over to Python.
const body = document.body, status = document.getElementById("status"), url = (p) => new URL(p, location.href).href;
const wheel = fetch(url(body.dataset.app));  // the lesson's code downloads alongside the runtime
let stage = ""; const say = (text) => { stage = text; status.textContent = `${text}…`; performance.mark(text); };
const fail = (why) => { clearTimeout(watchdog); body.dataset.failed = ""; status.textContent = `The lesson could not start: ${why} The text and the preview of each widget still read fine; reload to try again.`; };
const watchdog = setTimeout(() => fail(`“${stage}” took more than 30 seconds.`), 30000);
// Pyodide hangs without a word on a missing or mistyped .wasm file, so check it first.
fetch("./pyodide/pyodide.asm.wasm", { method: "HEAD" }).then((r) => { const type = r.headers.get("content-type") || "none";
  if (!r.ok || !type.startsWith("application/wasm")) fail(`the server answered ${r.status} with type ${type} for pyodide/pyodide.asm.wasm (it must be application/wasm).`); });
try {
  say("Loading the Python runtime (about 12 MB, once)");
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: url("./pyodide/") });
  say("Installing the lesson's Python code");  // a pure wheel with no dependencies: unpacking it is the whole install
  const reply = await wheel; if (!reply.ok) throw new Error(`the server answered ${reply.status} for ${body.dataset.app}`);
  pyodide.unpackArchive(await reply.arrayBuffer(), "wheel", { extractDir: pyodide.runPython("import site; site.getsitepackages()[0]") });
  say("Starting the widgets");
  pyodide.runPython("import importlib; importlib.invalidate_caches()");  // so that imports see the unpacked files
  pyodide.pyimport("web.app").main(); clearTimeout(watchdog);
} catch (error) { fail(`“${stage}” failed (${String(error.message || error).trim().split("\n").pop()}).`); }
