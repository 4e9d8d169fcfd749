import re
import socket
import urllib.request

import pytest

import build
from web.app import FACTORIES


def test_prerender_fills_every_marker_and_the_wheel_urls():
    mounts = "".join(f'<div id="{key}-mount"><!--mount:{key}--></div>' for key in FACTORIES)
    template = f"<body data-app='{{{{APP_WHEEL}}}}'>{mounts}</body>"
    page = build.prerender(template, {"APP_WHEEL": "wheels/abc/app.whl"})
    assert "<!--mount:" not in page and "{{" not in page
    assert "wheels/abc/app.whl" in page
    assert "h(0.70) = 0.490" in page


def test_each_mount_is_stamped_with_the_digest_of_the_view_inside_it():
    from web.app import make_widgets
    from web.tree import digest, to_markup

    mounts = "".join(f'<div id="{key}-mount"><!--mount:{key}--></div>' for key in FACTORIES)
    page = build.prerender(mounts, {})
    for widget in make_widgets():
        preview = widget.render(ready=False)
        assert f'id="{widget.key}-mount" data-preview="{digest(preview)}">{to_markup(preview)}</div>' in page
    assert digest(make_widgets()[0].render(ready=True)) != digest(make_widgets()[0].render(ready=False))


def test_prerender_refuses_a_template_without_a_mount_point():
    with pytest.raises(build.BuildError, match="mount:trainer"):
        build.prerender("".join(f'<div id="{key}-mount"><!--mount:{key}--></div>' for key in FACTORIES
                                if key != "trainer"), {})
    with pytest.raises(build.BuildError, match="chain-mount"):
        build.prerender("".join(f"<!--mount:{key}-->" for key in FACTORIES), {})


def test_server_sends_wasm_with_its_type_and_takes_the_next_free_port(tmp_path):
    (tmp_path / "a.wasm").write_bytes(b"\0asm")
    (tmp_path / "b.mjs").write_text("export {}")
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        taken = blocker.getsockname()[1]
        server = build.make_server(tmp_path, taken)
        try:
            port = server.server_address[1]
            assert port != taken
            import threading
            threading.Thread(target=server.serve_forever, daemon=True).start()
            for name, kind in [("a.wasm", "application/wasm"), ("b.mjs", "text/javascript")]:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{name}") as reply:
                    assert reply.headers["Content-Type"] == kind
        finally:
            server.shutdown()
            server.server_close()


def test_build_errors_name_the_missing_tool():
    with pytest.raises(build.BuildError, match="'no-such-tool-xyz' was not found"):
        build.run(["no-such-tool-xyz"], what="demo", fix="Install it.")


def test_a_download_that_does_not_match_its_pinned_hash_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "CACHE", tmp_path / "cache")

    def fake_download(cmd, **_):
        folder = cmd[cmd.index("-d") + 1]
        (build.Path(folder) / "setuptools-80.9.0-py3-none-any.whl").write_bytes(b"not the real wheel")

    monkeypatch.setattr(build, "run", fake_download)
    with pytest.raises(build.BuildError, match=r"SHA-256 .* expected 062d3422"):
        build.pinned_wheel(*build.SETUPTOOLS)
    assert not (tmp_path / "cache" / "wheels").exists()


def test_a_missing_npm_is_explained_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "ROOT", tmp_path)  # no node_modules here, so npm would be needed
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(build.BuildError, match=r"'npm' was not found\. Install Node\.js 18"):
        build.pyodide_dir()


def test_serve_prints_its_url_serves_the_page_and_stops_cleanly_on_ctrl_c(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "LESSON_DIST": str(tmp_path / "dist")}
    server = subprocess.Popen(
        [sys.executable, str(build.ROOT / "build.py"), "serve", "--port", "0"], env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    try:
        line = server.stdout.readline()
        url = line.split()[4]
        assert line.startswith("Serving the lesson at http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url) as reply:
            assert "h(0.70) = 0.490" in reply.read().decode()
        # the server sends what the built headers file tells a host to send, for the page and for the runtime
        rules = build.read_headers((tmp_path / "dist" / build.HEADERS_FILE).read_text())
        for path in ("", "pyodide/pyodide.asm.wasm", "boot.js", build.SERVICE_WORKER):
            with urllib.request.urlopen(url + path) as reply:
                for name, value in build.headers_for(rules, "/" + path).items():
                    assert reply.headers[name] == value, (path, name)
        with urllib.request.urlopen(url + build.SERVICE_WORKER) as reply:  # at the top: its scope is the lesson
            assert reply.headers["Content-Type"] == "text/javascript"
            assert '"./", "boot.js"' in reply.read().decode()  # with this build's files filled in
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=10)
        assert server.returncode == 0 and "Stopped." in out
    finally:
        server.kill()


def test_the_headers_file_sends_the_pages_own_csp_and_forbids_framing_by_other_sites():
    template = (build.STATIC / "index.html").read_text()
    csp = build.page_csp(template)
    assert f'content="{csp}"' in template and "script-src 'self'" in csp
    rules = build.read_headers(build.render_headers(build.site_headers(csp)))
    assert rules == build.site_headers(csp)  # the file reads back as written
    page = build.headers_for(rules, "/index.html")
    assert page["Content-Security-Policy"] == csp + "; frame-ancestors 'self'"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert build.headers_for(rules, "/pyodide/pyodide.asm.wasm")["Content-Type"] == "application/wasm"
    with pytest.raises(build.BuildError, match="Content-Security-Policy meta tag"):
        build.page_csp("<head><title>no policy</title></head>")


def test_the_server_sends_the_headers_file_of_the_folder_it_serves(tmp_path):
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (tmp_path / "index.html").write_text("<p>hi</p>")
    (tmp_path / build.HEADERS_FILE).write_text("# a comment\n/*\n  X-Test: one\n\n/pyodide/*\n  X-Runtime: two\n")
    server, url = build.serve_in_thread(tmp_path)
    try:
        with urllib.request.urlopen(url) as reply:
            assert reply.headers["X-Test"] == "one" and reply.headers["X-Runtime"] is None
        with urllib.request.urlopen(url + "pyodide/pyodide.asm.wasm") as reply:
            assert reply.headers["X-Test"] == "one" and reply.headers["X-Runtime"] == "two"
            assert reply.headers["Content-Type"] == "application/wasm"
    finally:
        server.shutdown()
        server.server_close()


def test_the_service_worker_lists_every_file_of_the_build_and_a_new_build_is_a_new_worker(tmp_path):
    template = (build.STATIC / build.SERVICE_WORKER).read_text(encoding="utf-8")
    assert "/*BUILD*/" in template and "/*FILES*/" in template
    (tmp_path / "pyodide").mkdir()
    for name in ("index.html", "boot.js", "pyodide/pyodide.mjs", build.HEADERS_FILE, build.SERVICE_WORKER):
        (tmp_path / name).write_text(name)
    worker = build.service_worker(tmp_path, template)
    assert 'FILES = ["./", "boot.js", "index.html", "pyodide/pyodide.mjs"];' in worker  # not _headers, not itself
    (tmp_path / "boot.js").write_text("the next build's loader")
    cache_name = re.compile(r"const CACHE = `\$\{registration.scope\} ([0-9a-f]{16})`")
    assert cache_name.search(build.service_worker(tmp_path, template))[1] != cache_name.search(worker)[1]
