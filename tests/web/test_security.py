"""Static checks of the rules the page's safety rests on: no HTML-string writes, nothing evaluated, strict CSP."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; object-src 'none'; "
       "require-trusted-types-for 'script'; trusted-types lesson-workers")


def sources():
    for folder in ("web", "static"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".js", ".mjs", ".html", ".css"):
                yield path, path.read_text(encoding="utf-8")


def test_no_html_string_writes_anywhere_in_web_or_static():
    pattern = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc")
    hits = [f"{p.relative_to(ROOT)}:{n}" for p, text in sources()
            for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]
    assert hits == []


def test_nothing_in_web_or_static_evaluates_code():
    pattern = re.compile(r"(?<![\w.])(eval|exec|compile|Function|__import__|importlib)\b\s*\(")
    hits = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p, text in sources()
            for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]
    assert hits == []


def test_the_page_declares_the_designed_csp_and_no_inline_code():
    page = (ROOT / "static" / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script type="module" src="boot.js">']
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", page)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_the_one_trusted_types_policy_is_the_one_the_csp_names_and_yields_only_the_two_workers():
    """The CSP lets the page create one Trusted Types policy; boot.js creates exactly that one, and it makes script
    URLs of the service worker and the snapshot worker (files of static/) and throws for anything else."""
    scripts = {path.name: text for path, text in sources() if path.suffix in (".js", ".mjs")}
    policies = [name for text in scripts.values() for name in re.findall(r"createPolicy\(\s*\"([^\"]+)\"", text)]
    assert policies == ["lesson-workers"] and CSP.endswith(f"trusted-types {policies[0]}")
    rule = re.search(r"createScriptURL: \(name\) => \{ if \(\[([^\]]+)\]\.includes\(name\)\) return url\(name\); "
                     r"throw new TypeError\(name\); \}", scripts["boot.js"])
    assert rule, "boot.js's policy no longer reads as: these names, or throw"
    workers = [name.strip().strip('"') for name in rule.group(1).split(",")]
    assert workers == ["sw.js", "snapshot.js"] and all((ROOT / "static" / name).exists() for name in workers)
