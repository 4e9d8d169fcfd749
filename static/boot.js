// The loader: start Pyodide from ./pyodide/, install micropip and the lesson's wheel, hand over to Python.
const body = document.body, status = document.getElementById("status");
const say = (text) => { status.textContent = text; };
const fail = (why) => { body.dataset.failed = ""; say(`The lesson could not start: ${why} Reload the page to try again; the text above and below still reads fine.`); };
const watchdog = setTimeout(() => fail("Python took more than 30 seconds to load (a missing file or a server that sends .wasm files with the wrong type)."), 30000);
try {
  say("Loading the Python runtime (about 12 MB, once)…");
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href });
  say("Loading the package installer…");
  await pyodide.loadPackage(new URL(body.dataset.micropip, location.href).href);
  say("Installing the lesson's Python code…");
  await pyodide.pyimport("micropip").install(new URL(body.dataset.app, location.href).href, { deps: false });
  say("Starting the widgets…");
  pyodide.pyimport("web.app").main();
} catch (error) {
  fail(`${String(error.message || error).trim().split("\n").pop()}.`);
} finally {
  clearTimeout(watchdog);
}
