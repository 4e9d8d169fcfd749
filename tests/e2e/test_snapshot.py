"""Second visits and offline visits: the snapshot this browser keeps of Pyodide after the app's imports, and the
service worker that keeps the site (static/boot.js, static/snapshot.js, static/sw.js).

Each test has a browser context of its own, as a learner's profile: a second page in the same context is a second
visit. The site is served from a folder the test can swap for another build on the same origin, or stop (offline).
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

import build
from build import DIST, Handler
from tests.e2e.ui import PageLog, control, origin_of, section

BOOT_MS = 120_000  # a guard against a hung boot on a loaded machine, not a timing check
# Runs before any page script: every value data-snapshot takes, and every moment the page showed a failure.
WATCH = """
window.seen = { snapshot: [], failed: [] };
new MutationObserver(() => {
  const body = document.body;
  if (!body) return;
  const kept = window.seen.snapshot;
  if (body.dataset.snapshot && kept[kept.length - 1] !== body.dataset.snapshot) kept.push(body.dataset.snapshot);
  if ("failed" in body.dataset) window.seen.failed.push(document.getElementById("status").textContent);
}).observe(document, { subtree: true, childList: true, attributes: true });
"""
# Reads the kept snapshot's entry: its key and digest headers and its size (null when there is none).
KEPT = """async () => {
  const kept = await (await caches.open("lesson-snapshot")).match("snapshot");
  return kept && { key: kept.headers.get("x-key"), sha256: kept.headers.get("x-sha256"),
                   size: (await kept.arrayBuffer()).byteLength };
}"""
# Rewrites the kept snapshot: 4 KB flipped in the middle (under Node, a snapshot flipped so restored without a word:
# the digest must catch it), cut in half, or a header Pyodide refuses stored with its own correct digest (then only
# the failed restore tells).
DAMAGE = """async (how) => {
  const shelf = await caches.open("lesson-snapshot"), kept = await shelf.match("snapshot");
  let bytes = new Uint8Array(await kept.arrayBuffer());
  const headers = new Headers(kept.headers);
  if (how === "flipped") for (let i = 0; i < 4096; i++) bytes[bytes.length / 2 + i] ^= 0xff;
  if (how === "truncated") bytes = bytes.slice(0, bytes.length / 2);
  if (how === "refused") {
    bytes[0] ^= 1;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    headers.set("x-sha256", btoa(String.fromCharCode(...digest)));
  }
  await shelf.put("snapshot", new Response(bytes, { headers }));
}"""


class Site:
    """The lesson on one origin, from a folder that can be swapped for another build (`root`) or stopped."""

    def __init__(self, root: Path):
        self.root = root
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def handler(self, *args):
        return functools.partial(Handler, directory=str(self.root))(*args)

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture()
def site():
    served = Site(DIST)
    yield served
    served.stop()


@pytest.fixture()
def profile(browser):
    """A fresh browser profile (context); its pages are one learner's visits."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def visit(profile, url: str):
    """A new visit in the profile: (page, log) once the page is ready."""
    page = profile.new_page()
    page.add_init_script(WATCH)
    log = PageLog(origin_of(url))
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("request", lambda r: log.foreign_requests.append(r.url) if origin_of(r.url) != log.origin else None)
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=BOOT_MS)
    return page, log


def stored(page) -> None:
    """Wait until the page says it stored a snapshot and the service worker has kept the site."""
    expect(page.locator("body")).to_have_attribute("data-snapshot", "stored", timeout=BOOT_MS)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")


def seen(page) -> dict:
    return page.evaluate("() => window.seen")


def stages(page) -> list[str]:
    return page.evaluate("() => performance.getEntriesByType('mark').map((m) => m.name)")


def another_build(tmp_path: Path, name: str) -> Path:
    """A copy of dist/ as the next build would be: its wheel under another digest's folder (so the page's snapshot
    key changes), a style sheet and a title of its own, and a service worker that lists those files."""
    site = tmp_path / name
    shutil.copytree(DIST, site)
    (wheel,) = (site / "wheels").glob("*/*.whl")
    moved = site / "wheels" / (wheel.parent.name[:-4] + "beef") / wheel.name
    moved.parent.mkdir()
    wheel.rename(moved)
    wheel.parent.rmdir()
    page = (site / "index.html").read_text(encoding="utf-8")
    old, new = (f'data-app="{path.relative_to(site).as_posix()}"' for path in (wheel, moved))
    page = page.replace(old, new)
    (site / "index.html").write_text(page.replace("<title>", f"<title>{name}: "), encoding="utf-8")
    with (site / "style.css").open("a", encoding="utf-8") as css:
        css.write(f"\n/* {name} */\n")
    template = (build.STATIC / build.SERVICE_WORKER).read_text(encoding="utf-8")
    (site / build.SERVICE_WORKER).write_text(build.service_worker(site, template), encoding="utf-8")
    return site


def every_widget_answers(page) -> None:
    """The chain slider, the graph's Step, the trainer and the cost widget each answer input."""
    x = control(page, "Chain rule", "slider", "x")
    x.focus()
    page.keyboard.press("ArrowRight")
    expect(section(page, "Chain rule")).to_contain_text("h(0.71) = 0.504")
    control(page, "Computation graph", "button", "Step").click()
    expect(section(page, "Computation graph").locator("#graph-explain")).to_contain_text("Edge 1 of 8")
    control(page, "Trainer", "button", "Train").click()
    expect(section(page, "Trainer").locator("#trainer-epoch")).not_to_have_text("Epoch 0")
    control(page, "Trainer", "button", "Pause").click()
    units = control(page, "Cost of a gradient", "slider", "Hidden units")
    units.focus()
    page.keyboard.press("ArrowRight")
    expect(section(page, "Cost of a gradient")).to_contain_text(re.compile(r"Parameters: (9|13|21|37|69)\b"))


def test_a_first_visit_boots_as_usual_then_stores_a_snapshot(profile, site):
    page, log = visit(profile, site.url)
    stored(page)
    kept = page.evaluate(KEPT)
    assert seen(page) == {"snapshot": ["none", "stored"], "failed": []}
    assert "Starting from the copy kept by this browser" not in stages(page)
    assert kept["size"] > 10_000_000 and len(kept["sha256"]) == 44  # 31 MB with Pyodide 314.0.7; base64 SHA-256
    assert "lesson.whl" in kept["key"] and "random.seed()" in kept["key"]  # the wheel and the boot steps
    log.assert_clean()


def test_a_second_visit_restores_the_snapshot_and_works(profile, site):
    first, _ = visit(profile, site.url)
    stored(first)
    page, log = visit(profile, site.url)
    assert seen(page) == {"snapshot": ["restored"], "failed": []}
    assert "Starting from the copy kept by this browser" in stages(page)
    every_widget_answers(page)
    assert page.evaluate("() => document.body.dataset.snapshot") == "restored"  # no new snapshot was made
    log.assert_clean()


@pytest.mark.parametrize("how", ["flipped", "truncated", "refused"])
def test_a_damaged_snapshot_falls_back_to_a_usual_start_in_the_same_visit(profile, site, how):
    first, _ = visit(profile, site.url)
    stored(first)
    first.evaluate(DAMAGE, how)
    page, log = visit(profile, site.url)
    stored(page)  # dropped, the page started as usual, and a fresh snapshot replaced it
    assert seen(page) == {"snapshot": ["none", "stored"], "failed": []}
    assert ("Starting from the copy kept by this browser" in stages(page)) == (how == "refused")
    every_widget_answers(page)
    log.assert_clean()
    again, _ = visit(profile, site.url)
    assert seen(again)["snapshot"] == ["restored"]


def test_a_snapshot_the_browser_cannot_read_is_dropped_in_the_same_visit(profile, site):
    first, _ = visit(profile, site.url)
    stored(first)
    # from now on the kept snapshot's body cannot be read, as when the browser lost its file
    profile.add_init_script("""{
      const read = Response.prototype.arrayBuffer;
      Response.prototype.arrayBuffer = function () {
        if (!this.headers.has("x-sha256")) return read.call(this);
        return Promise.reject(new DOMException("gone", "NotReadableError"));
      };
    }""")
    page, log = visit(profile, site.url)
    stored(page)
    assert seen(page) == {"snapshot": ["none", "stored"], "failed": []}
    log.assert_clean()


def test_where_the_browser_refuses_storage_every_visit_starts_the_usual_way_without_a_word(profile, site):
    # as Firefox's private windows once did: Cache Storage refuses to open
    profile.add_init_script("CacheStorage.prototype.open = () => Promise.reject(new DOMException('', 'SecurityError'))")
    workers = []
    profile.on("page", lambda page: page.on("worker", lambda worker: workers.append(worker.url)))
    for _ in range(2):
        page, log = visit(profile, site.url)
        assert seen(page) == {"snapshot": ["none"], "failed": []}
        log.assert_clean()
    assert workers == []  # no snapshot is made that could not be kept


def test_a_snapshot_from_another_build_is_replaced_in_the_same_visit(profile, site, tmp_path):
    first, _ = visit(profile, site.url)
    stored(first)
    old = first.evaluate(KEPT)
    site.root = another_build(tmp_path, "next")
    page, log = visit(profile, site.url)
    assert page.title().startswith("next: ")
    stored(page)
    assert seen(page) == {"snapshot": ["none", "stored"], "failed": []}
    new = page.evaluate(KEPT)
    assert new["key"] != old["key"] and "beef" in new["key"]
    every_widget_answers(page)
    log.assert_clean()


def test_offline_after_one_visit_the_page_boots_and_every_widget_answers(profile, site):
    first, _ = visit(profile, site.url)
    stored(first)
    site.stop()
    page, log = visit(profile, site.url)
    assert seen(page) == {"snapshot": ["restored"], "failed": []}
    every_widget_answers(page)
    log.assert_clean()


SITE_CACHES = "async () => (await caches.keys()).filter((name) => name !== 'lesson-snapshot')"


def test_a_new_builds_files_replace_the_old_cache(profile, site, tmp_path):
    first, _ = visit(profile, site.url)
    stored(first)
    (old,) = first.evaluate(SITE_CACHES)
    site.root = another_build(tmp_path, "next")
    page, _ = visit(profile, site.url)
    assert page.title().startswith("next: ")  # with a network the new page, and its own files
    assert "/* next */" in page.evaluate("async () => (await fetch('style.css')).text()")
    # the new build's service worker takes over and drops the old build's cache
    deadline = time.monotonic() + BOOT_MS / 1000  # a guard against a hang, not a timing check
    while (now := page.evaluate(SITE_CACHES)) == [old] or len(now) != 1:
        assert time.monotonic() < deadline, f"the site's caches stayed {now}"
        time.sleep(0.2)
    stored(page)
    site.stop()
    offline, log = visit(profile, site.url)
    assert offline.title().startswith("next: ")
    assert "/* next */" in offline.evaluate("async () => (await fetch('style.css')).text()")
    assert offline.evaluate("async () => (await fetch(document.body.dataset.app)).ok")
    log.assert_clean()


def test_the_one_trusted_types_policy_yields_only_the_two_workers(profile, site):
    page, log = visit(profile, site.url)
    answers = page.evaluate("""() => {
        const attempt = (make) => { try { make(); return "allowed"; } catch (error) { return error.name; } };
        return {
            another_policy: attempt(() => trustedTypes.createPolicy("mine", { createScriptURL: (u) => u })),
            same_name_again: attempt(() => trustedTypes.createPolicy("lesson-workers", { createScriptURL: (u) => u })),
            plain_worker: attempt(() => new Worker("boot.js", { type: "module" })),
        };
    }""")
    assert answers == {"another_policy": "TypeError", "same_name_again": "TypeError", "plain_worker": "TypeError"}
    log.console_errors.clear()  # each refusal above is reported to the console, as it should be
    log.assert_clean()
