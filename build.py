"""Build, serve and test the lesson.

    python3 build.py            build dist/: Pyodide, the app wheel, static files, the pre-rendered page
    python3 build.py serve      build, then serve dist/ on 127.0.0.1 and print the URL (Ctrl-C stops)
    python3 build.py test       set up .venv and the browsers (Chromium, Firefox ESR, WebKitGTK), build, run ruff and
                                every test

Downloads (npm's Pyodide, the setuptools wheel that builds ours) are cached, so a second build needs no network.
The page puts the app wheel on Python's path as it is and imports from it with zipimport, with neither micropip
nor loadPackage nor unpacking: the wheel is pure and has no dependencies. micropip and loadPackage import modules
that Pyodide compiles from source on every start (micropip ~0.4 s, loadPackage's importlib.metadata ~0.1 s), and
unpacking the wheel's files took ~0.05 s (bench/README.md).
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import typing
import urllib.parse
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = Path(os.environ.get("LESSON_DIST", ROOT / "dist")).resolve()  # override: several builds side by side
CACHE = ROOT / ".cache"
STATIC = ROOT / "static"
VENV = ROOT / ".venv"

PYODIDE_VERSION = "314.0.7"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# The build backend, fetched from PyPI by exact version and checked against this hash on every build.
SETUPTOOLS = ("setuptools", "80.9.0", "062d34222ad13e0cc312a4c02d73f059e86a4acbfbdea8f8f76b28c99f306922")
# micropip at the version Pyodide 314.0.7's pyodide-lock.json names, for the test that installs our wheel the standard
# way (tests/pyodide/test_micropip_pyodide.py); it never goes into dist/, since the page imports from the wheel itself.
# The hash is PyPI's wheel (the lock's differs: Pyodide repacks its copy); it needs Pyodide's Python to download.
MICROPIP = ("micropip", "0.11.1", "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3")
PYODIDE_PYTHON = "3.14"
MIME_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
              ".whl": "application/zip", ".zip": "application/zip", ".json": "application/json"}
# Netlify- and Cloudflare-style rules for hosts that read a headers file; `serve` reads the same file.
HEADERS_FILE = "_headers"
SERVICE_WORKER = "sw.js"  # at the top of the site: its scope is the whole lesson
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


class BuildError(Exception):
    """A build step failed; the message says what to do about it."""


def log(message: str) -> None:
    """One progress line on stderr."""
    print(f"[build] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], *, what: str, fix: str, quiet: bool = True, env: dict[str, str] | None = None) -> None:
    """Run a command; on failure raise a BuildError naming the step and the fix."""
    if shutil.which(cmd[0]) is None and not Path(cmd[0]).exists():
        raise BuildError(f"{what}: '{cmd[0]}' was not found. {fix}")
    result = subprocess.run(cmd, cwd=ROOT, capture_output=quiet, text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        detail = (result.stderr or result.stdout or "").strip().splitlines()[-1:] if quiet else []
        raise BuildError(f"{what} failed{': ' + detail[0] if detail else ''}. {fix}")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pyodide_dir() -> Path:
    """The Pyodide runtime from npm, installed with `npm ci` from package-lock.json when not yet present
    (with the test-only axe-core and puppeteer-core, which never go into dist/)."""
    folder = ROOT / "node_modules" / "pyodide"
    manifest = folder / "package.json"
    ok = manifest.exists() and json.loads(manifest.read_text())["version"] == PYODIDE_VERSION
    ok = ok and (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists()
    ok = ok and (ROOT / "node_modules" / "puppeteer-core" / "package.json").exists()
    if not (ok and all((folder / name).exists() for name in PYODIDE_FILES)):
        log(f"installing pyodide@{PYODIDE_VERSION} from the npm registry (npm ci)")
        run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], what="npm ci",
            fix="Install Node.js 18+ with npm (Debian: apt-get install nodejs npm) and check the network.")
    return folder


def pinned_wheel(name: str, version: str, digest: str, python: str | None = None) -> Path:
    """A pure wheel from PyPI at an exact version, cached under .cache/wheels and verified by SHA-256 (python:
    the Python version it is for, when not this one)."""
    target = CACHE / "wheels" / f"{name}-{version}-py3-none-any.whl"
    if not (target.exists() and sha256(target) == digest):
        log(f"downloading {name}=={version} from PyPI")
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "pip", "download", f"{name}=={version}", "--no-deps",
                   "--only-binary=:all:", "-d", tmp, "--quiet", *(["--python-version", python] if python else [])]
            run(cmd, what=f"pip download {name}=={version}",
                fix="Check that pip works (python3 -m pip --version) and that PyPI is reachable.")
            got = next(Path(tmp).glob("*.whl"))
            if sha256(got) != digest:
                raise BuildError(f"{got.name} has SHA-256 {sha256(got)}, expected {digest}: the download is not "
                                 "the pinned release. Delete .cache/ and retry; if it persists, do not use it.")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(got, target)
    return target


def app_wheel(out: Path, runtime: Path) -> Path:
    """Build the pure wheel of engine + web from pyproject.toml, with setuptools from the local cache only, and add
    each module's bytecode as Pyodide's own Python compiles it (see with_bytecode)."""
    backend = pinned_wheel(*SETUPTOOLS)
    with tempfile.TemporaryDirectory() as tmp:
        # Built from a copy of exactly what goes in: setuptools' build/ folder in the tree keeps deleted modules.
        source = Path(tmp) / "source"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, source / name)
        for package in ("engine", "web"):
            shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
        run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-index", "--quiet",
             "--find-links", str(backend.parent), "-w", str(Path(tmp) / "plain")],
            what="pip wheel (the lesson's own package)", fix="Check pyproject.toml and that engine/ and web/ import.",
            env={"SOURCE_DATE_EPOCH": "315532800"})  # fixed timestamps: same sources, same wheel
        plain = next((Path(tmp) / "plain").glob("*.whl"))
        built = with_bytecode(plain, Path(tmp) / plain.name, runtime, Path(tmp) / "bytecode")
        # A folder named after the content keeps browsers from reusing a stale wheel after a rebuild.
        folder = out / sha256(built)[:12]
        folder.mkdir(parents=True)
        return Path(shutil.copy2(built, folder / built.name))


def with_bytecode(wheel: Path, target: Path, runtime: Path, scratch: Path) -> Path:
    """Write target: the wheel plus each module's bytecode beside its source (web/tree.pyc beside web/tree.py),
    compiled by Pyodide under Node (pyc.mjs). The page imports straight from the wheel with zipimport, which takes
    those files; without them it compiles every module from source on every start (0.18 s; bench/README.md). An
    installer (micropip, pip) copies them too, and the import system then leaves them be. Only the page's own
    Python can write them: a .pyc belongs to one Python version, and the machine that builds may have another."""
    run(["node", str(ROOT / "pyc.mjs"), str(runtime), str(wheel), str(scratch)],
        what="compiling the lesson's modules with Pyodide's Python (node pyc.mjs)",
        fix="Install Node.js 18+ (Debian: apt-get install nodejs npm) and rebuild.")
    compiled = sorted(scratch.rglob("*.pyc"))
    with zipfile.ZipFile(wheel) as plain, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as full:
        record = next(name for name in plain.namelist() if name.endswith(".dist-info/RECORD"))
        sources = [name for name in plain.namelist() if name.endswith(".py")]
        if len(compiled) != len(sources):
            raise BuildError(f"pyc.mjs compiled {len(compiled)} of the wheel's {len(sources)} modules. Rebuild; if it "
                             "persists, run node pyc.mjs by hand to see why.")
        lines = [line for line in plain.read(record).decode().splitlines() if not line.startswith(record + ",")]
        for info in plain.infolist():
            if info.filename != record:
                full.writestr(info, plain.read(info))
        for path in compiled:
            name, data = path.relative_to(scratch).as_posix(), path.read_bytes()
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # fixed, as the rest of the wheel
            entry.external_attr = 0o644 << 16
            full.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{name},sha256={digest},{len(data)}")
        lines.append(f"{record},,")
        full.writestr(plain.getinfo(record), "\n".join(lines) + "\n")
    return target


def prerender(template: str, replacements: dict[str, str]) -> str:
    """Fill the page template: each widget's initial view into its mount marker, plus the app wheel's URL."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from web.app import make_widgets
    from web.tree import digest, to_markup

    # Every widget the app makes (web.app.FACTORIES, the one list of them) needs its mount in the page.
    previews = {widget.key: widget.render(ready=False) for widget in make_widgets()}
    for key in previews:
        marker, mount = f"<!--mount:{key}-->", f'id="{key}-mount"'
        if marker not in template or mount not in template:
            raise BuildError(f"static/index.html lacks {mount} or its marker {marker}; every widget needs both.")
        # The stamp lets the page adopt this markup as the widget's live view instead of building it again.
        preview = previews[key]
        template = template.replace(marker, to_markup(preview))
        template = template.replace(mount, f'{mount} data-preview="{digest(preview)}"')
    for name, value in replacements.items():
        template = template.replace("{{" + name + "}}", value)
    return template


def service_worker(site: Path, template: str) -> str:
    """static/sw.js with this build's files (the page as "./" too) and a digest of their contents filled in: a new
    build is then a new service worker, whose own cache replaces the old one when it takes over."""
    files = sorted(path.relative_to(site).as_posix() for path in site.rglob("*")
                   if path.is_file() and path.name not in (SERVICE_WORKER, HEADERS_FILE))
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256((site / name).read_bytes()).digest())
    return template.replace("/*BUILD*/", digest.hexdigest()[:16]).replace(
        "/*FILES*/", ", ".join(json.dumps(name) for name in ["./", *files]))


def page_csp(page: str) -> str:
    """The Content-Security-Policy of the page's meta tag: the one place the policy is written."""
    found = CSP_META.search(page)
    if found is None:
        raise BuildError("static/index.html lacks its Content-Security-Policy meta tag; the page needs one.")
    return found.group(1)


def site_headers(csp: str) -> dict[str, dict[str, str]]:
    """Headers by URL pattern: the page's CSP as a real header, which alone can forbid framing by other sites,
    no type sniffing, the type Pyodide needs for its .wasm (a wrong one makes it hang), and a JavaScript type for the
    service worker (browsers refuse to register one served with another)."""
    return {
        "/*": {"Content-Security-Policy": f"{csp}; frame-ancestors 'self'", "X-Content-Type-Options": "nosniff"},
        "/pyodide/pyodide.asm.wasm": {"Content-Type": MIME_TYPES[".wasm"]},
        f"/{SERVICE_WORKER}": {"Content-Type": MIME_TYPES[".js"]},
    }


def render_headers(rules: dict[str, dict[str, str]]) -> str:
    """The headers file: each URL pattern on its own line, then its headers indented."""
    blocks = [pattern + "\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())
              for pattern, headers in rules.items()]
    return "# Response headers for hosts that read this file (Netlify, Cloudflare Pages, ...); see README.\n" + \
        "\n".join(blocks)


def read_headers(text: str) -> dict[str, dict[str, str]]:
    """Parse a headers file back into {pattern: {name: value}} (comments and blank lines skipped)."""
    rules: dict[str, dict[str, str]] = {}
    pattern = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = line.strip()
            rules[pattern] = {}
        elif pattern is not None:
            name, _, value = line.strip().partition(":")
            rules[pattern][name.strip()] = value.strip()
    return rules


def headers_for(rules: dict[str, dict[str, str]], path: str) -> dict[str, str]:
    """Every header whose pattern matches a URL path ('*' at the end of a pattern matches any rest)."""
    found: dict[str, str] = {}
    for pattern, headers in rules.items():
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            found.update(headers)
    return found


def build() -> Path:
    """Assemble dist/ from scratch and return it."""
    started = time.perf_counter()
    runtime = pyodide_dir()
    staging = DIST.with_name(DIST.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "pyodide").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(runtime / name, staging / "pyodide" / name)
    wheels = staging / "wheels"
    wheels.mkdir()
    app = app_wheel(wheels, runtime)
    for path in STATIC.iterdir():
        if path.is_file() and path.name != "index.html":
            shutil.copy2(path, staging / path.name)
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    page = prerender(template, {"APP_WHEEL": app.relative_to(staging).as_posix()})
    (staging / "index.html").write_text(page, encoding="utf-8")
    (staging / HEADERS_FILE).write_text(render_headers(site_headers(page_csp(template))), encoding="utf-8")
    worker = (STATIC / SERVICE_WORKER).read_text(encoding="utf-8")
    (staging / SERVICE_WORKER).write_text(service_worker(staging, worker), encoding="utf-8")
    shutil.rmtree(DIST, ignore_errors=True)
    staging.rename(DIST)
    log(f"built {DIST}/ in {time.perf_counter() - started:.1f} s")
    return DIST


@functools.lru_cache(maxsize=8)
def served_headers(root: str, stamp: float) -> dict[str, dict[str, str]]:
    """The rules of root's headers file (none without one), cached until the file changes."""
    path = Path(root) / HEADERS_FILE
    return read_headers(path.read_text(encoding="utf-8")) if stamp else {}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types Pyodide needs (a wrong .wasm type makes it hang), no caching, and the headers
    of the served folder's headers file, as a host that honours it would send them."""

    extensions_map: typing.ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    honour_headers_file = True  # tests turn this off to play a host that ignores the file

    def rules(self) -> dict[str, str]:
        if not self.honour_headers_file:
            return {}
        file = Path(self.directory) / HEADERS_FILE
        rules = served_headers(self.directory, file.stat().st_mtime if file.exists() else 0.0)
        return headers_for(rules, urllib.parse.urlsplit(self.path).path)

    def guess_type(self, path) -> str:
        return self.rules().get("Content-Type") or super().guess_type(path)

    def end_headers(self) -> None:
        for name, value in self.rules().items():
            if name != "Content-Type":  # sent by send_head, from guess_type
                self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if args and str(args[1 if len(args) > 1 else 0]).startswith(("4", "5")):
            super().log_message(format, *args)


def make_server(root: Path, port: int = 8000, tries: int = 50) -> http.server.ThreadingHTTPServer:
    """A server for `root` on 127.0.0.1 at `port`, or the next free port after it (port 0: any free port)."""
    handler = functools.partial(Handler, directory=str(root))
    for candidate in [port] if port == 0 else range(port, port + tries):
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError:
            continue
    raise BuildError(f"no free port in {port}..{port + tries - 1} on 127.0.0.1; pass --port N.")


def serve_in_thread(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` from a daemon thread on a free port (for tests); returns the server and its base URL."""
    server = make_server(root, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def serve(port: int) -> None:
    """Build, then serve dist/ until Ctrl-C."""
    build()
    server = make_server(DIST, port)
    print(f"Serving the lesson at http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        server.server_close()


# Flags that keep a headless Chromium from reaching for the network on its own (our machines have none);
# the tests and bench/page.py launch with these.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str | None:
    """A Chromium the tests can drive: $CHROMIUM, Debian's package, or None (then Playwright's own build)."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def venv_python() -> Path:
    """The test environment's interpreter, creating .venv when missing."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log("creating .venv")
        try:
            run([sys.executable, "-m", "venv", str(VENV)], what="python3 -m venv", fix="")
        except BuildError:
            if not (os.geteuid() == 0 and shutil.which("apt-get")):
                raise BuildError("python3 -m venv failed. Install your system's venv package "
                                 "(Debian: apt-get install python3-venv) and run again.") from None
            shutil.rmtree(VENV, ignore_errors=True)
            version = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
            run(["apt-get", "install", "-y", "-q", version], what=f"apt-get install {version}",
                fix="Install the venv package for your Python by hand and run again.")
            run([sys.executable, "-m", "venv", str(VENV)], what="python3 -m venv", fix="")
    return python


def install_test_extra(python: Path) -> None:
    """Install the `test` extra of pyproject.toml into .venv (skipped when it is unchanged since last time)."""
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    wanted = sorted(extra)
    if os.environ.get("LESSON_TEST_TORCH") == "1":
        wanted.append("torch==2.13.0")  # a CPU wheel on our machines' disk; tests compare against it
    stamp = VENV / ".test-extra"
    if stamp.exists() and stamp.read_text() == "\n".join(wanted):
        return
    log("installing the test extra into .venv: " + " ".join(wanted))
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted],
        what="pip install (test extra)", fix="Check that PyPI is reachable.", quiet=False)
    stamp.write_text("\n".join(wanted))


# Debian's packages for the browsers the e2e tests drive besides Chromium: Firefox ESR (through puppeteer-core from
# package-lock.json) and WebKitGTK's WebKitWebDriver + MiniBrowser, which needs an X display (Xvfb).
OTHER_BROWSERS = {"firefox-esr": "/usr/bin/firefox-esr", "webkit2gtk-driver": "/usr/bin/WebKitWebDriver",
                  "xvfb": "/usr/bin/Xvfb"}


def can_apt() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: list[str], fix: str) -> None:
    """apt-get update, then install `packages` (waiting for another apt's lock rather than failing on it)."""
    log("installing Debian's " + " ".join(packages) + " with apt-get")
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    run(["apt-get", *lock, "update", "-q"], what="apt-get update", fix="Check the network.", quiet=False)
    run(["apt-get", *lock, "install", "-y", "-q", *packages], what="apt-get install " + " ".join(packages),
        fix=fix, quiet=False, env={"DEBIAN_FRONTEND": "noninteractive"})


def ensure_browsers(python: Path) -> None:
    """Make sure the e2e tests' browsers exist: Chromium, Firefox ESR, WebKitWebDriver and Xvfb from Debian when we
    are root with apt-get (one apt run for all). Otherwise Chromium comes from Playwright's download, and the Firefox
    and WebKit tests fail saying what to install: they are never skipped."""
    missing = [package for package, path in OTHER_BROWSERS.items() if not Path(path).exists()]
    if not find_chromium():
        missing.insert(0, "chromium")
    if missing and can_apt():
        apt_install(missing, fix="Install them by hand (apt-get install " + " ".join(missing) + "), or set "
                    "CHROMIUM to a Chromium binary.")
        return
    if "chromium" in missing:
        log("installing Playwright's Chromium")
        run([str(python), "-m", "playwright", "install", "chromium"], what="playwright install chromium",
            fix="Install a Chromium and set CHROMIUM to its path.", quiet=False)
        missing.remove("chromium")
    if missing:
        log("cannot install " + " ".join(missing) + " (needs root and apt-get): the Firefox and WebKit tests will "
            "fail until someone runs `apt-get install " + " ".join(missing) + "`")


def test(pytest_args: list[str]) -> int:
    """Everything a newcomer needs to run every test, then the tests themselves; returns pytest's status."""
    python = venv_python()
    install_test_extra(python)
    ensure_browsers(python)
    build()
    lint = subprocess.run([str(python), "-m", "ruff", "check", "."], cwd=ROOT)
    tests = subprocess.run([str(python), "-m", "pytest", *pytest_args], cwd=ROOT)
    return tests.returncode or lint.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    serve_parser = sub.add_parser("serve", help="build, then serve dist/ on 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000, help="first port to try (default 8000)")
    test_parser = sub.add_parser("test", help="install test tools, build, run ruff and every test")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    args = parser.parse_args()
    try:
        if args.command == "serve":
            serve(args.port)
        elif args.command == "test":
            return test(args.pytest_args)
        else:
            build()
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
