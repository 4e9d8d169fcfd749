// The loader: start Pyodide from ./pyodide/, put the lesson's wheel on Python's path, hand over to Python.
const body = document.body, status = document.getElementById("status"), url = (p) => new URL(p, location.href).href;
// Give up only after this long with no progress (a new stage, bytes arriving, a busy main thread); tests shorten it.
// A new stage withdraws a failure shown during a stall, so a slow start that gets there ends without one.
const PATIENCE_MS = globalThis.BOOT_PATIENCE_MS ?? 30000;
let stage = "", progressAt = performance.now(), tickAt = progressAt;
const moved = () => { progressAt = performance.now(); };
const say = (text) => { stage = text; moved(); delete body.dataset.failed; status.textContent = `${text}…`; performance.mark(text); };
const fail = (why) => { if ("failed" in body.dataset) return;  // the first explanation is the one that names the cause
  body.dataset.failed = ""; status.textContent = `The lesson could not start: ${why} The text and the preview of each widget still read fine; reload to try again.`; };
const watchdog = setInterval(() => { const now = performance.now(); if (now - tickAt > 2000) moved();  // a late tick: Python was busy working
  tickAt = now; if (now - progressAt > PATIENCE_MS) fail(`“${stage}” made no progress for ${PATIENCE_MS / 1000} seconds.`); }, 1000);
// Pyodide offers no progress signal and hangs without a word on a missing or mistyped .wasm, so watch its downloads:
// check each answer as it comes, and count its bytes on a copy (Pyodide's own response stays untouched).
const fetchFromHost = globalThis.fetch;
globalThis.fetch = async (...request) => { const reply = await fetchFromHost(...request), type = reply.headers.get("content-type") || "none";
  if (reply.url.endsWith(".wasm") && !(reply.ok && type.startsWith("application/wasm"))) fail(`the server answered ${reply.status} with type ${type} for pyodide/pyodide.asm.wasm (it must be application/wasm).`);
  const bytes = reply.clone().body?.getReader(), drain = () => bytes?.read().then((chunk) => { if (!chunk.done) { moved(); drain(); } }, () => {});
  drain(); return reply; };
const wheel = fetch(url(body.dataset.app));  // the lesson's code downloads alongside the runtime
try {
  say("Loading the Python runtime (about 12 MB, once)");
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: url("./pyodide/") });
  say("Installing the lesson's Python code");  // a pure wheel with no dependencies, imported from as it is (zipimport)
  const reply = await wheel; if (!reply.ok) throw new Error(`the server answered ${reply.status} for ${body.dataset.app}`);
  pyodide.FS.writeFile("/lib/lesson.whl", new Uint8Array(await reply.arrayBuffer()));  // pyc.mjs names this path
  // zipimporter() refuses a damaged wheel here, so that the failure names this stage.
  pyodide.runPython("import sys, zipimport; zipimport.zipimporter('/lib/lesson.whl'); sys.path.append('/lib/lesson.whl')");
  globalThis.fetch = fetchFromHost; say("Starting the widgets");
  pyodide.pyimport("web.app").main(); clearInterval(watchdog);
} catch (error) { clearInterval(watchdog); fail(`“${stage}” failed (${String(error.message || error).trim().split("\n").pop()}).`); }
