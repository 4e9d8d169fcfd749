// Puts the app wheel on Python's path inside real Pyodide under Node exactly as static/boot.js does (the file at the
// path boot.js uses, checked by zipimport, appended to sys.path), then runs a Python file and prints its last value
// (a JSON string) on a line starting with RESULT.
// usage: node page_wheel.mjs <pyodide dir> <wheel> <path boot.js writes it to> <python file to run>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, path, script] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
pyodide.FS.writeFile(path, new Uint8Array(readFileSync(wheel)));
pyodide.globals.set("WHEEL", path);
pyodide.runPython("import sys, zipimport; zipimport.zipimporter(WHEEL); sys.path.append(WHEEL)");
console.log("RESULT " + pyodide.runPython(readFileSync(script, "utf8")));
