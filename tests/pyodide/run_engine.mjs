// Runs the engine's self-contained checks inside real Pyodide under Node.
// usage: node run_engine.mjs <pyodide dir> <repo root> <python file to run>
// Copies engine/*.py and tests/engine/engine_checks.py into Pyodide's FS, runs the given Python file,
// and prints its last expression's value (a JSON string) on a line starting with RESULT.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, repo, script] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const home = "/home/pyodide";
pyodide.FS.mkdirTree(`${home}/engine`);
for (const name of readdirSync(join(repo, "engine")).filter((n) => n.endsWith(".py"))) {
  pyodide.FS.writeFile(`${home}/engine/${name}`, readFileSync(join(repo, "engine", name)));
}
pyodide.FS.writeFile(`${home}/engine_checks.py`, readFileSync(join(repo, "tests/engine/engine_checks.py")));
const result = await pyodide.runPythonAsync(readFileSync(script, "utf8"));
console.log("RESULT " + result);
