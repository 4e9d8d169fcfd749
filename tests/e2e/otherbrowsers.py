"""The lesson in Firefox and WebKit, the two engines besides Chromium that learners use (Safari is WebKit).

Firefox is Debian's `firefox-esr`, driven by puppeteer-core over WebDriver BiDi through tests/e2e/puppeteer_bridge.mjs
(Playwright cannot drive Debian's Firefox). WebKit is Debian's WebKitGTK MiniBrowser behind WebKitWebDriver, driven by
selenium, inside an Xvfb display this module starts (MiniBrowser has no headless mode). Both expose the same small
API, so a test is written once: find a widget's region by role and accessible name and a control in it by role and
name (WebKit asks the browser for both; Firefox's ARIA queries stall while the trainer redraws, so inside a region it
reads the same name from aria-label, aria-labelledby, <label> or text), press keys, click, read text and values, take
screenshots, and read the page's log (console errors, requests off the origin).

To look at the page yourself (the lead and helpers use it for layout checks):

    .venv/bin/python -m tests.e2e.otherbrowsers shot firefox http://127.0.0.1:8000/ /tmp/ff-390.png --width 390
    .venv/bin/python -m tests.e2e.otherbrowsers shot webkit dist /tmp/wk.png --region Trainer --height 1500  # dist/
"""

from __future__ import annotations

import argparse
import functools
import glob
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.ui import PageLog, off_origin, origin_of

HERE = Path(__file__).resolve().parent
BRIDGE = HERE / "puppeteer_bridge.mjs"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
# A guard against a hung browser, not a timing check: WebKit under load has taken over 60 s to boot the page.
GUARD_S = 300
# Which elements can carry each role on this page; the role and name themselves are asked of the browser.
ELEMENTS_FOR_ROLE = {"region": "section", "slider": "input[type=range]", "button": "button",
                     "combobox": "select", "textbox": "input:not([type]), input[type=text], textarea",
                     "radio": "input[type=radio]", "row": "tr", "status": "output, [role=status]",
                     "img": "svg, img, canvas"}
INSTALL_HINT = ("`python3 build.py test` installs it as root with apt-get (Debian: apt-get install firefox-esr "
                "webkit2gtk-driver xvfb).")


class BrowserMissing(RuntimeError):
    """A browser or its driver is not installed; the message says how to install it."""


def wait_for(check, what: str):
    """Poll `check()` until it returns something truthy (a hang guard of GUARD_S, not a timing assertion)."""
    deadline = time.monotonic() + GUARD_S
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {GUARD_S} s waiting for {what}; last saw {value!r}")
        time.sleep(0.2)


def where(region: str, role: str | None, name: str | None) -> dict:
    """A bridge call's target: the region's name, and the role, name and candidate elements of a control in it."""
    return {"region": region, "role": role, "name": name, "css": ELEMENTS_FOR_ROLE.get(role or "", "")}


class Firefox:
    """Firefox ESR through the puppeteer bridge (a Node process speaking JSON lines)."""

    name = "firefox"

    def __init__(self, width: int = 1280, height: int = 800):
        if not Path(FIREFOX).exists():
            raise BrowserMissing(f"Firefox ESR is not installed ({FIREFOX} is missing). {INSTALL_HINT}")
        if not (HERE.parents[1] / "node_modules" / "puppeteer-core").exists():
            raise BrowserMissing("node_modules/puppeteer-core is missing: run `python3 build.py` (it runs npm ci).")
        self.process = subprocess.Popen(["node", str(BRIDGE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, cwd=HERE)
        self.version = self.call("launch", executable=FIREFOX, width=width, height=height)
        self.origin = ""

    def call(self, op: str, **args):
        self.process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the puppeteer bridge died during {op} (exit {self.process.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(answer["error"])
        return answer["ok"]

    def open(self, url: str) -> None:
        self.origin = origin_of(url)
        self.call("goto", url=url)

    def resize(self, width: int, height: int) -> None:
        self.call("viewport", width=width, height=height)

    def state(self) -> list[str]:
        return self.call("state")

    def start(self) -> tuple[str | None, list[str]]:
        """How the page started: its data-snapshot (restored / none / stored) and the stages of its status line."""
        snapshot, stages = self.call("start")
        return snapshot, stages

    def exists(self, region: str) -> bool:
        return self.call("exists", region=region)

    def count(self, region: str, role: str, name: str) -> int:
        return self.call("count", **where(region, role, name))

    def texts(self, region: str, role: str) -> list[str]:
        """The text of every element with `role` in the region (read-outs, table rows), in page order."""
        return self.call("texts", region=region, css=ELEMENTS_FOR_ROLE[role])

    def text(self, region: str, role: str | None = None, name: str | None = None) -> str:
        return self.call("text", **where(region, role, name))

    def value(self, region: str, role: str, name: str) -> str:
        return self.call("value", **where(region, role, name))

    def focus(self, region: str, role: str, name: str) -> None:
        self.call("focus", **where(region, role, name))

    def click(self, region: str, role: str, name: str) -> None:
        self.call("click", **where(region, role, name))

    def press(self, key: str) -> None:
        self.call("press", key=key)

    def shot(self, path: str, region: str | None = None) -> None:
        self.call("shot", path=str(Path(path).resolve()), region=region)

    def log(self) -> PageLog:
        seen = self.call("log")
        return PageLog(self.origin, seen["console_errors"], seen["page_errors"],
                       off_origin(seen["requests"], self.origin))

    def close(self) -> None:
        try:
            self.call("close")
        finally:
            self.process.stdin.close()
            self.process.wait()


class ProxyRecorder(http.server.ThreadingHTTPServer):
    """The browser's HTTP(S) proxy: it records every request that would leave the page's host and refuses it."""

    def __init__(self):
        self.seen: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def refuse(self) -> None:
                recorder.seen.append(self.path if self.command != "CONNECT" else f"https://{self.path}/")
                self.send_error(403, "the lesson must not leave its origin")

            do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = refuse

            def log_message(self, format, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def find_minibrowser() -> str | None:
    found = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser") + glob.glob("/usr/lib/*/webkitgtk-*/MiniBrowser"))
    return found[-1] if found else None


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """A virtual X display big enough for a whole-page screenshot at 1280 px; returns it and its DISPLAY."""
    if not shutil.which("Xvfb"):
        raise BrowserMissing(f"Xvfb is not installed (WebKit's MiniBrowser needs a display). {INSTALL_HINT}")
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x8000x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        raise RuntimeError("Xvfb did not start")
    return xvfb, f":{number}"


# WebDriver classic has no console log and no script that runs before the page's own, and MiniBrowser ignores its
# --enable-write-console-messages-to-stdout under automation. So the test server puts this same-origin script (the
# CSP allows 'self') first in <head>: it keeps every console.error, uncaught error, unhandled rejection and CSP
# violation in window.__lessonLog for WebKit.log() to read.
PROBE_PATH = "/__console_probe.js"
PROBE = """window.__lessonLog = { errors: [], blocked: [] };
const nativeError = console.error.bind(console);
console.error = (...args) => { window.__lessonLog.errors.push(args.map(String).join(" ")); nativeError(...args); };
addEventListener("error", (e) => window.__lessonLog.errors.push(`uncaught: ${e.message}`));
addEventListener("unhandledrejection", (e) => window.__lessonLog.errors.push(`unhandled rejection: ${e.reason}`));
document.addEventListener("securitypolicyviolation", (e) => window.__lessonLog.blocked.push(e.blockedURI));
"""


def serve_with_probe(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` as build.py does, with PROBE as the page's first script; returns the server and its URL."""
    from build import Handler

    class ProbeHandler(Handler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path in ("/", "/index.html"):
                page = (root / "index.html").read_text(encoding="utf-8")
                self.reply(page.replace("<head>", f'<head><script src="{PROBE_PATH}"></script>', 1), "text/html")
            elif path == PROBE_PATH:
                self.reply(PROBE, "text/javascript")
            else:
                super().do_GET()

        def reply(self, text: str, kind: str) -> None:
            body = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(ProbeHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class WebKit:
    """WebKitGTK's MiniBrowser through WebKitWebDriver and selenium, in its own Xvfb display."""

    name = "webkit"

    def __init__(self, width: int = 1280, height: int = 800):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        browser = find_minibrowser()
        if not (Path(WEBKIT_DRIVER).exists() and browser):
            raise BrowserMissing(f"WebKitGTK's WebKitWebDriver and MiniBrowser are not installed. {INSTALL_HINT}")
        self.xvfb, display = start_xvfb()
        self.proxy = ProxyRecorder()
        options = Options()
        options.binary_location = browser
        proxy = f"http://127.0.0.1:{self.proxy.server_address[1]}"
        for arg in ("--automation", f"--proxy={proxy}", "--ignore-host=127.0.0.1"):  # only the page's host is direct
            options.add_argument(arg)
        service = Service(executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": display})
        try:
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        except BaseException:
            self.stop_helpers()
            raise
        self.version = self.driver.capabilities.get("browserVersion")
        self.origin = ""
        self.regions: dict[str, object] = {}
        self.resize(width, height)

    def resize(self, width: int, height: int) -> None:
        """Make the page's viewport (not the window) width x height."""
        self.driver.set_window_size(width, height)
        inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        self.driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
        got = self.driver.execute_script("return window.innerWidth")
        if got != width:  # MiniBrowser's window is never narrower than its header bar: 447 px on Debian 12
            print(f"webkit: the viewport is {got} px wide, not {width} (MiniBrowser's narrowest)", file=sys.stderr)

    def open(self, url: str) -> None:
        self.origin = origin_of(url)
        self.regions.clear()
        self.driver.get(url)

    def state(self) -> list[str]:
        body = self.driver.find_element("css selector", "body")
        return [k for k in ("ready", "failed") if body.get_attribute(f"data-{k}") is not None]

    def start(self) -> tuple[str | None, list[str]]:
        snapshot, stages = self.driver.execute_script(
            "return [document.body.dataset.snapshot ?? null, performance.getEntriesByType('mark').map((m) => m.name)]")
        return snapshot, stages

    def region(self, name: str):
        if name not in self.regions:
            found = [e for e in self.driver.find_elements("css selector", ELEMENTS_FOR_ROLE["region"])
                     if e.aria_role == "region" and e.accessible_name == name]
            if not found:
                return None
            self.regions[name] = found[0]
        return self.regions[name]

    def find(self, region: str, role: str | None = None, name: str | None = None):
        scope = self.region(region)
        assert scope is not None, f"no region named {region!r}"
        if role is None:
            return scope
        for element in scope.find_elements("css selector", ELEMENTS_FOR_ROLE[role]):
            if element.aria_role == role and element.accessible_name == name:
                return element
        raise AssertionError(f"no {role} named {name!r} in {region!r}")

    def exists(self, region: str) -> bool:
        return self.region(region) is not None

    def count(self, region: str, role: str, name: str) -> int:
        candidates = self.find(region).find_elements("css selector", ELEMENTS_FOR_ROLE[role])
        return sum(e.aria_role == role and e.accessible_name == name for e in candidates)

    def texts(self, region: str, role: str) -> list[str]:
        candidates = self.find(region).find_elements("css selector", ELEMENTS_FOR_ROLE[role])
        return [e.text for e in candidates if e.aria_role == role]

    def text(self, region: str, role: str | None = None, name: str | None = None) -> str:
        return self.find(region, role, name).text

    def value(self, region: str, role: str, name: str) -> str:
        return self.find(region, role, name).get_property("value")

    def focus(self, region: str, role: str, name: str) -> None:
        self.driver.execute_script("arguments[0].focus()", self.find(region, role, name))

    def click(self, region: str, role: str, name: str) -> None:
        self.find(region, role, name).click()

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        # Playwright's key names (ArrowRight, Enter) as selenium's (ARROW_RIGHT, ENTER); one character is itself.
        code = key if len(key) == 1 else getattr(Keys, re.sub(r"(?<!^)(?=[A-Z])", "_", key).upper())
        ActionChains(self.driver).send_keys(code).perform()

    def shot(self, path: str, region: str | None = None) -> None:
        """The viewport, or one region. MiniBrowser (2.50) clips element screenshots to about the viewport, and a
        window grown taller than the screen to hold a whole region gave black or wrong-place pictures: so a region
        is shot in a window of the height asked for (--height), and what lies beyond it is cut off."""
        if region:
            self.find(region).screenshot(str(path))
        else:
            self.driver.save_screenshot(str(path))

    def log(self) -> PageLog:
        """The probe's record (the page must be served by serve_with_probe) and the requests the proxy refused."""
        seen = self.driver.execute_script("return window.__lessonLog || null")
        assert seen is not None, "no console probe in this page: serve it with serve_with_probe()"
        requests = list(self.proxy.seen) + seen["blocked"]
        return PageLog(self.origin, seen["errors"], [], off_origin(requests, self.origin))

    def stop_helpers(self) -> None:
        self.proxy.shutdown()
        self.proxy.server_close()
        self.xvfb.terminate()
        self.xvfb.wait()

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.stop_helpers()


BROWSERS = {"firefox": Firefox, "webkit": WebKit}


def open_lesson(name: str, url: str, width: int = 1280, height: int = 800):
    """A browser (firefox or webkit) at url once the page has booted; fails if it set data-failed."""
    browser = BROWSERS[name](width, height)
    try:
        browser.open(url)
        state = wait_for(browser.state, "the page to set data-ready or data-failed on <body>")
        assert state == ["ready"], f"{name}: the page booted to {state}"
    except BaseException:
        browser.close()
        raise
    return browser


def main() -> int:
    parser = argparse.ArgumentParser(description="Look at the lesson in Firefox or WebKit.")
    sub = parser.add_subparsers(dest="command", required=True)
    shot = sub.add_parser("shot", help="a PNG of the whole page, or of one widget, after it has booted")
    shot.add_argument("browser", choices=sorted(BROWSERS))
    shot.add_argument("url", help="the page, or 'dist' to serve this worktree's dist/ (with the console probe)")
    shot.add_argument("out")
    shot.add_argument("--width", type=int, default=1280)
    shot.add_argument("--height", type=int, default=800)
    shot.add_argument("--region", action="append", help="a widget's accessible name, e.g. 'Chain rule' (repeat it "
                      "for several: out.png becomes out-chain-rule.png, ...); default: the whole page")
    args = parser.parse_args()
    server = None
    if args.url == "dist":
        from build import DIST

        server, args.url = serve_with_probe(DIST)
    browser = open_lesson(args.browser, args.url, args.width, args.height)
    try:
        written = []
        for region in args.region or [None]:
            out = args.out
            if args.region and len(args.region) > 1:
                out = str(Path(out).with_stem(f"{Path(out).stem}-{region.lower().replace(' ', '-')}"))
            browser.shot(out, region)
            written.append(out)
        try:
            seen = browser.log()
        except AssertionError as no_probe:
            seen = str(no_probe)
        print(f"{args.browser} {browser.version}: wrote {', '.join(written)}; {seen}")
    finally:
        browser.close()
        if server:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
