// Unpacks a wheel inside real Pyodide under Node exactly as static/boot.js does (unpackArchive into site-packages),
// then runs a Python file and prints its last value (a JSON string) on a line starting with RESULT.
// usage: node unpack_wheel.mjs <pyodide dir> <wheel> <python file to run>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, script] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: site });
pyodide.runPython("import site, sys; sys.path_importer_cache.pop(site.getsitepackages()[0], None)");
console.log("RESULT " + pyodide.runPython(readFileSync(script, "utf8")));
