// The loader: start Pyodide from ./pyodide/ (or from the snapshot of it that this browser kept), put the lesson's wheel
// on Python's path, hand over to Python. Then keep the site for offline use and, after a normal start, a new snapshot.
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
// Python's boot steps: a usual start runs the first two, a restore the first (the snapshot's sys.path has the wheel),
// the snapshot worker all three, and the snapshot's key includes them. random is seeded afresh, else every restore
// would repeat the same numbers; zipimporter() refuses a damaged wheel, so that the failure names its stage.
const STEPS = ["import random, sys, zipimport; random.seed(); zipimport.zipimporter('/lib/lesson.whl')",
  "sys.path.append('/lib/lesson.whl')", "import web.app"];
const sha256 = async (bytes) => btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
// The CSP's one Trusted Types policy: it makes script URLs of the lesson's two workers, and of nothing else.
const workers = (globalThis.trustedTypes ?? { createPolicy: (_, rules) => rules }).createPolicy("lesson-workers", {
  createScriptURL: (name) => { if (["sw.js", "snapshot.js"].includes(name)) return url(name); throw new TypeError(name); } });
try {
  say("Loading the Python runtime (about 12 MB, once)");
  const { loadPyodide, version } = await import("./pyodide/pyodide.mjs"), options = { indexURL: url("./pyodide/") };
  // A snapshot counts only if it was made from this runtime, wheel and boot steps, still has the SHA-256 it was stored
  // with (a damaged one can restore without a word) and restores; otherwise it goes, and Pyodide starts as usual.
  // Where the browser refuses storage (a private window, no quota) there is no shelf; one it cannot read is no snapshot.
  const shelf = await globalThis.caches?.open("lesson-snapshot").catch(() => undefined);
  const key = encodeURIComponent(`${version} ${body.dataset.app} ${STEPS.join("\n")}`);
  const kept = await shelf?.match("snapshot").catch(() => undefined);
  const bytes = kept?.headers.get("x-key") === key && await kept.arrayBuffer().then((b) => new Uint8Array(b), () => null);
  const sound = bytes && await sha256(bytes) === kept.headers.get("x-sha256");
  if (sound) say("Starting from the copy kept by this browser");
  let pyodide = sound && await loadPyodide({ ...options, _loadSnapshot: bytes }).catch(() => undefined);
  if (kept && !pyodide) await shelf.delete("snapshot").catch(() => {});
  body.dataset.snapshot = pyodide ? "restored" : "none"; pyodide ||= await loadPyodide(options);
  say("Installing the lesson's Python code");  // a pure wheel with no dependencies, imported from as it is (zipimport)
  const reply = await wheel; if (!reply.ok) throw new Error(`the server answered ${reply.status} for ${body.dataset.app}`);
  const app = new Uint8Array(await reply.arrayBuffer()); pyodide.FS.writeFile("/lib/lesson.whl", app);  // as pyc.mjs
  pyodide.runPython(STEPS.slice(0, body.dataset.snapshot === "restored" ? 1 : 2).join("\n"));  // the wheel is back
  globalThis.fetch = fetchFromHost; say("Starting the widgets");
  pyodide.pyimport("web.app").main(); clearInterval(watchdog);
  // Ready. The service worker keeps the site for offline use; after a usual start a worker of its own makes a snapshot
  // for the next visit (the learner's Python never runs with Pyodide's snapshot recorder on).
  navigator.serviceWorker?.register(workers.createScriptURL("sw.js")).catch(() => {});
  if (shelf && body.dataset.snapshot === "none") Object.assign(new Worker(workers.createScriptURL("snapshot.js"), { type: "module" }), {
    onmessage: ({ data, target }) => { target.terminate(); if (data === "stored") body.dataset.snapshot = "stored"; },
  }).postMessage({ key, app, steps: STEPS.join("\n") });
} catch (error) { clearInterval(watchdog); fail(`“${stage}” failed (${String(error.message || error).trim().split("\n").pop()}).`); }
