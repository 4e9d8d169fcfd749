// The loader: start Pyodide from ./pyodide/, install the lesson's wheel, hand over to Python.
const body = document.body, status = document.getElementById("status"), url = (p) => new URL(p, location.href).href;
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
  say("Installing the lesson's Python code");  // a pure wheel without dependencies: micropip is not needed
  const problems = [];  // loadPackage reports through this callback instead of rejecting
  await pyodide.loadPackage(url(body.dataset.app), { errorCallback: (m) => problems.push(m) });
  if (problems.length) throw new Error(problems.join("\n"));
  say("Starting the widgets");
  pyodide.pyimport("web.app").main();
} catch (error) { fail(`“${stage}” failed (${String(error.message || error).trim().split("\n").pop()}).`); }
finally { if (!body.hasAttribute("data-failed")) clearTimeout(watchdog); }
