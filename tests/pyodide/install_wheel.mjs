// Installs a wheel inside real Pyodide under Node the way a JupyterLite or PyScript user would: micropip first,
// then micropip.install(<file URL>, deps=False); then runs a Python file and prints its last value as RESULT.
// usage: node install_wheel.mjs <pyodide dir> <micropip wheel> <wheel to install> <python file to run>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, micropipWheel, wheel, script] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
// No network here: micropip comes from the pinned wheel on disk instead of Pyodide's CDN.
await pyodide.loadPackage(pathToFileURL(micropipWheel).href);
pyodide.globals.set("WHEEL_URL", pathToFileURL(wheel).href);
const result = await pyodide.runPythonAsync(readFileSync(script, "utf8"));
console.log("RESULT " + result);
