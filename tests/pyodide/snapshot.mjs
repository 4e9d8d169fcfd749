// Pins the private snapshot API of Pyodide that static/boot.js and static/snapshot.js use, with the built app wheel
// and the page's own boot steps: make a snapshot as the snapshot worker does, restore it as the page does, and run
// a Python file in the restored instance; prints that file's last value (a JSON string) on a line starting with RESULT,
// with what each step did under "api".
// usage: node snapshot.mjs <pyodide dir> <wheel> <page's boot steps> <worker's steps> <engine checks> <python file>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelFile, pageSteps, workerSteps, checks, script] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const indexURL = pyodideDir + "/", wheel = new Uint8Array(readFileSync(wheelFile)), api = {};
const failure = async (step) => { try { await step(); return null; } catch (error) { return String(error); } };

// Without the recorder there is no snapshot: the page's own instance could never make one by accident.
api.without_recorder = await failure(async () => (await loadPyodide({ indexURL })).makeMemorySnapshot());
const maker = await loadPyodide({ indexURL, _makeSnapshot: true });
maker.FS.writeFile("/lib/lesson.whl", wheel);
maker.runPython(workerSteps);
const snapshot = maker.makeMemorySnapshot();
api.size = snapshot.length;
api.is_bytes = snapshot instanceof Uint8Array;

// Restored twice without re-seeding, random repeats itself: the reason the page's steps seed it.
const draw = async () => (await loadPyodide({ indexURL, _loadSnapshot: snapshot })).runPython("import random; random.random()");
api.unseeded_draws = [await draw(), await draw()];
// A snapshot whose header is not Pyodide's is refused, not restored.
const damaged = snapshot.slice(); damaged[0] ^= 1;
api.bad_magic = await failure(() => loadPyodide({ indexURL, _loadSnapshot: damaged }));

const pyodide = await loadPyodide({ indexURL, _loadSnapshot: snapshot });
// The file system is not in the snapshot: the wheel is gone until the page writes it back.
api.before_the_wheel = await failure(() => pyodide.runPython("import web.dom"));
pyodide.FS.writeFile("/lib/lesson.whl", wheel);
pyodide.runPython(pageSteps);
pyodide.FS.mkdirTree("/home/pyodide");
pyodide.FS.writeFile("/home/pyodide/engine_checks.py", readFileSync(checks));
console.log("RESULT " + JSON.stringify({ api, python: JSON.parse(pyodide.runPython(readFileSync(script, "utf8"))) }));
