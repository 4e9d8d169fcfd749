// Runs bench/engine.py --json inside Pyodide under Node.
// usage: node run_pyodide.mjs <pyodide dir> <repo root> <micrograd package dir or ""> <rounds> [wall|cpu]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, repo, micrograd, rounds, clock = "wall"] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const home = "/home/pyodide";

function copyPy(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from).filter((n) => n.endsWith(".py"))) {
    pyodide.FS.writeFile(`${to}/${name}`, readFileSync(join(from, name)));
  }
}
copyPy(join(repo, "engine"), `${home}/engine`);
copyPy(join(repo, "bench"), `${home}/bench`);
if (micrograd) copyPy(micrograd, `${home}/micrograd`);
pyodide.globals.set("bench_rounds", rounds);
pyodide.globals.set("bench_clock", clock);
await pyodide.runPythonAsync(`
import runpy, sys
sys.path.insert(0, "${home}")
sys.argv = ["engine.py", "--json", "--rounds", str(bench_rounds), "--clock", str(bench_clock)]
runpy.run_path("${home}/bench/engine.py", run_name="__main__")
`);
