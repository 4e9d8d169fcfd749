// build.py's helper: compile the lesson's modules to bytecode with the very Python the page runs (Pyodide's), so
// the browser loads .pyc files instead of compiling every module from source on each start (bench/README.md).
// usage: node pyc.mjs <pyodide dir> <app wheel> <out dir>
// Writes each .pyc to <out dir>/<its path inside the wheel> and prints those paths, one per line.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, outDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
// Unpacked where the page unpacks it, so each module's recorded file name is the one its tracebacks will show.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: site });
pyodide.globals.set("SITE", site);
const compiled = pyodide.runPython(`
import pathlib, py_compile
root = pathlib.Path(SITE)
sources = [line.split(",")[0] for line in next(root.glob("*.dist-info/RECORD")).read_text().splitlines()]
# Unchecked hashes: Python takes the .pyc without reading its .py, which both come from this one wheel (checking
# them would cost the page 45 ms of reading and hashing); tests/pyodide checks that each hash matches its source.
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
[str(pathlib.Path(py_compile.compile(str(root / s), doraise=True, invalidation_mode=mode)).relative_to(root))
 for s in sources if s.endswith(".py")]
`).toJs();
for (const path of compiled) {
  mkdirSync(dirname(join(outDir, path)), { recursive: true });
  writeFileSync(join(outDir, path), pyodide.FS.readFile(`${site}/${path}`));
  console.log(path);
}
