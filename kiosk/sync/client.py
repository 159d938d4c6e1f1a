"""One sync step: ask the server for the bundle, and if it changed, verify and install it.

`Syncer.poll()` never raises; it returns a `SyncResult` whose `status` is

- ``unchanged``: 304 Not Modified (no body sent), or the same version as in use;
- ``updated``: a new bundle passed every check and is now current (`content` names its file);
- ``refused``: the server answered, but the bundle is not acceptable (signature, hashes,
  size, paths, downgrade, content errors, a full disk); the last good bundle stays;
- ``unreachable``: no usable answer (down, slow, 5xx, garbage headers); retried with back-off.

HTTP is urllib's: it honours http_proxy / https_proxy / no_proxy from the environment. Every
request has a connect/read timeout and the whole download a deadline, so a server that trickles
bytes cannot hold a sync forever (it runs on a worker thread anyway, never the UI thread).
"""

from __future__ import annotations

import errno
import logging
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import __version__
from kiosk.sync import bundle, signing
from kiosk.sync.settings import SyncSettings, check_url
from kiosk.sync.store import BundleStore

log = logging.getLogger(__name__)

MAX_SIGNATURE_BYTES = 4096


class Unreachable(Exception):
    """The server did not give a usable answer (retry later)."""


class Refused(Exception):
    """The server answered with something this kiosk will not use (logged, shown to operators)."""


@dataclass
class SyncResult:
    status: str
    message: str = ""
    version: int | None = None
    content: Path | None = None
    bytes_received: int = 0
    at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return self.status in ("unchanged", "updated")


@dataclass
class Download:
    status: int
    etag: str | None
    size: int


class Http:
    """GET with a timeout, a size cap and a deadline; proxies from the environment."""

    def __init__(
        self,
        timeout_s: float = 20.0,
        deadline_s: float = 600.0,
        user_agent: str = f"negative-emissions-kiosk/{__version__}",
    ) -> None:
        self.timeout = timeout_s  # connect, and the longest silence while reading
        self.deadline = deadline_s  # the whole download, however the bytes trickle in
        self.user_agent = user_agent
        # build_opener() adds a ProxyHandler that reads the *_proxy environment variables.
        self.opener = urllib.request.build_opener(_HttpsOnlyRedirects())

    def get(self, url: str, dest: Path | None, max_bytes: int, etag: str | None = None) -> tuple[Download, bytes]:
        """Fetch `url` into `dest` (or memory when dest is None). 304 returns no body."""
        check_url(url)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        req = urllib.request.Request(url, headers=headers)
        deadline = time.monotonic() + self.deadline
        try:
            resp = self.opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Download(304, etag, 0), b""
            if exc.code == 404:
                return Download(404, None, 0), b""
            raise Unreachable(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unreachable(f"{url}: {reason}") from exc
        with resp:
            try:
                length = resp.headers.get("Content-Length")
                expected = int(length) if length is not None else None
            except ValueError as exc:
                raise Unreachable(f"{url}: garbage Content-Length {length!r}") from exc
            if expected is not None and expected > max_bytes:
                raise Refused(f"{url}: {expected} bytes is over the {max_bytes} byte limit")
            chunks: list[bytes] = []
            got = 0
            out = open(dest, "wb") if dest is not None else None
            try:
                while True:
                    if time.monotonic() > deadline:
                        raise Unreachable(f"{url}: too slow (no complete answer within {self.deadline:g} s)")
                    try:
                        chunk = resp.read1(1 << 16)  # what has arrived: a trickle still meets the deadline
                    except TimeoutError as exc:
                        raise Unreachable(f"{url}: too slow (nothing for {self.timeout:g} s after {got} bytes)") from exc
                    except (OSError, ValueError) as exc:  # resets, IncompleteRead
                        raise Unreachable(f"{url}: download broke off after {got} bytes ({exc.__class__.__name__})") from exc
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > max_bytes:
                        raise Refused(f"{url}: more than {max_bytes} bytes; refused")
                    if out is not None:
                        out.write(chunk)
                    else:
                        chunks.append(chunk)
                if out is not None:
                    out.flush()
            finally:
                if out is not None:
                    out.close()
            if expected is not None and got != expected:
                raise Unreachable(f"{url}: truncated download ({got} of {expected} bytes)")
            return Download(resp.status, resp.headers.get("ETag"), got), b"".join(chunks)


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect may not lead from HTTPS to plain HTTP (localhost aside), nor anywhere odd."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_url(newurl)
        except ValueError as exc:
            raise Unreachable(f"{req.full_url}: redirected to {newurl!r}, refused ({exc})") from exc
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Syncer:
    def __init__(self, settings: SyncSettings, store: BundleStore, http: Http | None = None) -> None:
        self.settings = settings
        self.store = store
        self.http = http or Http(settings.timeout_s, settings.max_download_s)
        self.key = signing.public_key(settings.public_key)
        self.limits = bundle.Limits(
            max_archive_bytes=int(settings.max_download_mb * 1024 * 1024),
            max_unpacked_bytes=int(settings.max_unpacked_mb * 1024 * 1024),
        )

    def poll(self) -> SyncResult:
        staging: Path | None = None
        try:
            staging = self.store.new_staging()
            return self._poll(staging)
        except Unreachable as exc:
            return self._log(SyncResult("unreachable", str(exc)))
        except Refused as exc:
            return self._log(SyncResult("refused", str(exc)))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                return self._log(SyncResult("refused", f"disk full while storing the bundle ({exc.strerror}); kept the last good content"))
            return self._log(SyncResult("refused", f"cannot store the bundle: {exc}"))
        except Exception as exc:  # noqa: BLE001 - a sync must never take the kiosk down
            log.exception("sync: unexpected failure")
            return self._log(SyncResult("refused", f"unexpected failure: {exc.__class__.__name__}: {exc}"))
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def _log(self, result: SyncResult) -> SyncResult:
        level = {"refused": logging.ERROR, "unreachable": logging.WARNING}.get(result.status, logging.INFO)
        log.log(level, "sync %s: %s", result.status, result.message)
        return result

    def _poll(self, staging: Path) -> SyncResult:
        url = self.settings.url
        etag = self.store.state().get("etag") if self.store.current_version is not None else None
        archive = staging / bundle.ARCHIVE_NAME
        got, _ = self.http.get(url, archive, self.limits.max_archive_bytes, etag)
        if got.status == 304:
            return SyncResult("unchanged", "not modified", self.store.current_version)
        if got.status == 404:
            raise Unreachable(f"{url}: not found (404)")
        sig_got, sig = self.http.get(url + signing.SIG_SUFFIX, None, MAX_SIGNATURE_BYTES)
        if sig_got.status == 404 or not sig:
            raise Refused(f"{url}{signing.SIG_SUFFIX}: no signature on the server; bundle refused")
        try:
            comment = signing.verify(archive, sig, self.key)
        except signing.SignatureError as exc:
            raise Refused(f"{url}: {exc}; bundle refused") from exc
        try:
            version = bundle.read_manifest(archive).version
        except Exception as exc:  # noqa: BLE001 - signed but unreadable is still refused
            raise Refused(f"{url}: signed, but not a readable bundle ({exc})") from exc
        current = self.store.current_version
        if current is not None and version == current:
            self.store.save_state(etag=got.etag)
            return SyncResult("unchanged", f"version {version} already in use", version, bytes_received=got.size)
        if current is not None and version < current:
            raise Refused(f"{url}: version {version} is older than {current} in use (downgrade refused)")
        unpacked = staging / "content"
        unpacked.mkdir()
        try:
            manifest = bundle.unpack(archive, unpacked, self.limits)
        except bundle.BundleError as exc:
            raise Refused(f"{url}: {exc}") from exc
        from kiosk.content.loader import load

        result = load(unpacked / bundle.CONTENT_NAME)
        if not result.ok:
            first = result.errors[0].headline() if result.errors else "unreadable"
            raise Refused(f"{url}: version {manifest.version} content has {len(result.errors)} errors, first: {first}")
        content = self.store.install(unpacked, manifest.version)
        self.store.save_state(etag=got.etag, version=manifest.version, signed=comment, installed_at=time.time())
        return self._log(SyncResult("updated", f"version {manifest.version} installed", manifest.version, content, got.size))
