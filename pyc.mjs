// build.py's helper: compile the lesson's modules to bytecode with the very Python the page runs (Pyodide's), so
// the browser loads .pyc files instead of compiling every module from source on each start (bench/README.md).
// usage: node pyc.mjs <pyodide dir> <app wheel> <out dir>
// Writes web/tree.py's bytecode to <out dir>/web/tree.pyc, and so on: beside its source, where zipimport looks for
// it (static/boot.js puts the wheel itself on Python's path), and prints those paths, one per line.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const PAGE_PATH = "/lib/lesson.whl";  // where static/boot.js writes the wheel: the file names tracebacks show
const [pyodideDir, wheel, outDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: "/tmp/wheel" });
pyodide.globals.set("PAGE_PATH", PAGE_PATH);
const compiled = pyodide.runPython(`
import pathlib, py_compile
root = pathlib.Path("/tmp/wheel")
sources = [line.split(",")[0] for line in next(root.glob("*.dist-info/RECORD")).read_text().splitlines()]
# Unchecked hashes: Python takes the .pyc without reading its .py, which both come from this one wheel (checking
# them would cost the page 45 ms of reading and hashing); tests/pyodide checks that each hash matches its source.
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
for source in sources:
    if source.endswith(".py"):
        py_compile.compile(str(root / source), cfile=str(root / (source + "c")), dfile=f"{PAGE_PATH}/{source}",
                           doraise=True, invalidation_mode=mode)
[source + "c" for source in sources if source.endswith(".py")]
`).toJs();
for (const path of compiled) {
  mkdirSync(dirname(join(outDir, path)), { recursive: true });
  writeFileSync(join(outDir, path), pyodide.FS.readFile(`/tmp/wheel/${path}`));
  console.log(path);
}
