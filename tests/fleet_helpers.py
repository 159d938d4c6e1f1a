"""Helpers for the fleet tests (issue 14): a content folder to edit, bundles, a real nginx."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def content_copy(dest: Path, title_marker: str | None = None) -> Path:
    """content.yaml + assets/ copied into `dest`; optionally with a visible change in the text."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "assets", dest / "assets", dirs_exist_ok=True)
    text = (REPO / "content.yaml").read_text(encoding="utf-8")
    if title_marker:
        text = mark(text, title_marker)
    (dest / "content.yaml").write_text(text, encoding="utf-8")
    return dest / "content.yaml"


def mark(text: str, marker: str) -> str:
    """Put `marker` into the first `title:` text of the content (what a visitor would see)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("en:") and "title" in "".join(lines[max(0, i - 3) : i]):
            indent = line[: len(line) - len(stripped)]
            lines[i] = f'{indent}en: "{marker}"\n'
            return "".join(lines)
    raise AssertionError("no English title found to mark")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_CONF = """
worker_processes 1;
error_log {dir}/error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/access.log combined_bytes;
    log_format combined_bytes '$status $body_bytes_sent $request_method $uri';
    client_body_temp_path {dir}/tmp_body;
    proxy_temp_path {dir}/tmp_proxy;
    fastcgi_temp_path {dir}/tmp_fcgi;
    uwsgi_temp_path {dir}/tmp_uwsgi;
    scgi_temp_path {dir}/tmp_scgi;
    types {{ application/gzip gz; text/plain minisig; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        etag on;
        {extra}
    }}
}}
"""


class Nginx:
    """The distribution's nginx, serving `root` on 127.0.0.1 (ETags on), started and stopped by a test."""

    def __init__(self, root: Path, workdir: Path | None = None, extra: str = "") -> None:
        self.root = Path(root)
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="kiosk-nginx-"))
        self.port = free_port()
        self.extra = extra
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Nginx":
        self.dir.mkdir(parents=True, exist_ok=True)
        conf = self.dir / "nginx.conf"
        # the log format must be defined before it is used
        text = NGINX_CONF.format(dir=self.dir, port=self.port, root=self.root, extra=self.extra)
        text = text.replace(
            "    access_log {0}/access.log combined_bytes;\n    log_format combined_bytes '$status $body_bytes_sent $request_method $uri';".format(self.dir),
            "    log_format combined_bytes '$status $body_bytes_sent $request_method $uri';\n    access_log {0}/access.log combined_bytes;".format(self.dir),
        )
        conf.write_text(text)
        self.proc = subprocess.Popen(
            ["nginx", "-p", str(self.dir), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log(self) -> list[tuple[int, int, str, str]]:
        """(status, body bytes, method, uri) per request served so far."""
        path = self.dir / "access.log"
        if not path.is_file():
            return []
        out = []
        for line in path.read_text().splitlines():
            status, sent, method, uri = line.split(" ", 3)
            out.append((int(status), int(sent), method, uri))
        return out

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read()
