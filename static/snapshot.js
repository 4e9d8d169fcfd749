// The snapshot worker, started by boot.js once a page that started the usual way is ready. It starts a second Pyodide
// with the recorder a snapshot needs switched on, runs the steps boot.js sends (the page's boot steps, then the app's
// imports, but not web.dom's: a snapshot cannot hold the JavaScript objects it takes), and keeps the memory snapshot
// in Cache Storage with its key and SHA-256 for the next visit. It answers "stored", or why not.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const sha256 = async (bytes) => btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
onmessage = async ({ data: { key, app, steps } }) => {
  try {
    const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href, _makeSnapshot: true });
    pyodide.FS.writeFile("/lib/lesson.whl", app); pyodide.runPython(steps);
    const snapshot = pyodide.makeMemorySnapshot(), headers = { "x-key": key, "x-sha256": await sha256(snapshot) };
    await (await caches.open("lesson-snapshot")).put("snapshot", new Response(snapshot, { headers }));
    postMessage("stored");
  } catch (error) { postMessage(`not stored: ${error}`); }
};
