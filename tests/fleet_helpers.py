"""Helpers for the fleet tests (issue 14): a content folder to edit, bundles, a real nginx."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from processes import end

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
{user}
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
        # As root, nginx's workers would drop to "nobody", who cannot read pytest's 0700 temp folders.
        user = "user root root;" if os.geteuid() == 0 else ""
        text = NGINX_CONF.format(user=user, dir=self.dir, port=self.port, root=self.root, extra=self.extra)
        text = text.replace(
            "    access_log {0}/access.log combined_bytes;\n    log_format combined_bytes '$status $body_bytes_sent $request_method $uri';".format(self.dir),
            "    log_format combined_bytes '$status $body_bytes_sent $request_method $uri';\n    access_log {0}/access.log combined_bytes;".format(self.dir),
        )
        conf.write_text(text)
        with open(self.dir / "stderr.log", "wb") as err:
            self.proc = subprocess.Popen(
                ["nginx", "-p", str(self.dir), "-c", str(conf), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.dir / 'stderr.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            end(self.proc, timeout=5)
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()
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


class Publisher:
    """Builds and signs bundles into a web root, as an operator would with `kiosk bundle`."""

    def __init__(self, tmp: Path, webroot: Path) -> None:
        from kiosk.sync import signing

        self.tmp = tmp
        self.webroot = webroot
        webroot.mkdir(parents=True, exist_ok=True)
        self.keys = signing.keygen(tmp / "pub.key", tmp / "pub.pub", None)
        self.other = signing.keygen(tmp / "other.key", tmp / "other.pub", None)

    def publish(self, version: int, marker: str | None = None, *, key: Path | None = None, sign: bool = True) -> Path:
        from kiosk.sync import bundle, signing

        content = content_copy(self.tmp / f"src{version}-{marker}", marker or f"Fleet v{version}")
        out = self.tmp / f"build{version}-{marker}"
        archive, _, _ = bundle.build(content, out, version)
        if sign:
            signing.sign_file(archive, key or self.keys.secret, None, trusted_comment=f"version:{version}")
        self.replace(archive, archive.with_name(archive.name + ".minisig") if sign else None)
        return archive

    def replace(self, archive: Path, sig: Path | None) -> None:
        """Put archive and signature on the server (signature first: a client then sees a
        mismatched pair for a moment at worst, and refuses it until the next poll)."""
        served_sig = self.webroot / "bundle.tar.gz.minisig"
        if sig is not None:
            shutil.copyfile(sig, served_sig.with_suffix(".tmp"))
            served_sig.with_suffix(".tmp").replace(served_sig)
        else:
            served_sig.unlink(missing_ok=True)
        shutil.copyfile(archive, self.webroot / "bundle.tar.gz.tmp")
        # nginx's ETag is mtime (whole seconds) and size: two publishes within one second could
        # look the same to If-None-Match. A real publisher is seconds apart; the tests are not.
        self._mtime = max(time.time(), getattr(self, "_mtime", 0) + 1)
        os.utime(self.webroot / "bundle.tar.gz.tmp", (self._mtime, self._mtime))
        (self.webroot / "bundle.tar.gz.tmp").replace(self.webroot / "bundle.tar.gz")

    def sign_raw(self, archive: Path, key: Path | None = None) -> Path:
        from kiosk.sync import signing

        return signing.sign_file(archive, key or self.keys.secret, None)
