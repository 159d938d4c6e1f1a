"""The kiosk's own fleet settings: `fleet.yaml`, kept apart from content.yaml on purpose.

A downloaded bundle replaces content.yaml; if the public key lived there, whoever could publish
a bundle could also replace the key that is meant to vouch for it. So the key, the sync URL, the
heartbeat, metrics and opening hours live in a file the kiosk never downloads::

    # fleet.yaml (next to the program, or the per-user config folder; or --fleet PATH)
    kiosk_id: hall-a-1                      # default: the computer's name
    sync:
      url: https://content.example.org/kiosk/bundle.tar.gz   # signature: the same URL + .minisig
      public_key: RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3
      interval_s: 300
    heartbeat:
      url: https://hc-ping.com/your-check-uuid   # /start on launch, /fail after a crash
      interval_s: 60
    metrics:
      textfile_dir: /var/lib/prometheus/node-exporter
    opening_hours:                           # days left out are closed; no section: always open
      mon-fri: "09:00-18:00"
      sat: "10:00-16:00"

Problems are reported like content problems: `fleet.yaml:LINE:COL: error: message`.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.content.problems import Problem

FLEET_NAME = "fleet.yaml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_url(url: str) -> str:
    """HTTPS, or plain HTTP to this machine only: a bundle is signed, but a heartbeat or the
    ETag dance over plain HTTP on a venue's network would be readable and spoofable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL, got {url!r}")
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
        raise ValueError(f"must use https:// (plain http is allowed for localhost only): {url!r}")
    return url


class SyncSettings(_Strict):
    url: str
    public_key: str
    interval_s: float = Field(300, ge=1, le=86400)
    timeout_s: float = Field(20, gt=0, le=600)
    max_download_s: float = Field(600, gt=0)  # the whole download; a slow venue link needs time
    max_download_mb: float = Field(200, gt=0)
    max_unpacked_mb: float = Field(500, gt=0)
    keep: int = Field(3, ge=1, le=20)

    _url = field_validator("url")(classmethod(lambda cls, v: check_url(v)))

    @field_validator("public_key")
    @classmethod
    def _key(cls, v: str) -> str:
        from kiosk.sync.signing import SignatureError, public_key

        try:
            public_key(v)
        except SignatureError as exc:
            raise ValueError(f"not a minisign public key (the RW... line of the .pub file): {exc}") from exc
        return v.strip()


class HeartbeatSettings(_Strict):
    url: str
    interval_s: float = Field(60, ge=1, le=86400)
    method: str = Field("POST", pattern="^(GET|POST)$")
    timeout_s: float = Field(10, gt=0, le=120)

    _url = field_validator("url")(classmethod(lambda cls, v: check_url(v)))


class MetricsSettings(_Strict):
    textfile_dir: str
    interval_s: float = Field(15, ge=1, le=3600)


class FleetSettings(_Strict):
    kiosk_id: str = Field(default_factory=lambda: socket.gethostname() or "kiosk", pattern=r"^[A-Za-z0-9._-]{1,64}$")
    sync: SyncSettings | None = None
    heartbeat: HeartbeatSettings | None = None
    metrics: MetricsSettings | None = None
    opening_hours: dict[str, str] | None = None

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, v: dict[str, str] | None) -> dict[str, str] | None:
        if v is None:
            return v
        for key, span in v.items():
            expand_days(key)
            if span.strip().lower() != "closed":
                parse_span(span)
        return v


def expand_days(key: str) -> list[int]:
    """'mon-fri' -> [0..4], 'sat' -> [5], 'daily' -> all; ValueError otherwise."""
    key = key.strip().lower()
    if key in ("daily", "every day", "all"):
        return list(range(7))
    if "-" in key:
        a, _, b = key.partition("-")
        if a in DAYS and b in DAYS:
            i, j = DAYS.index(a), DAYS.index(b)
            return [d % 7 for d in range(i, j + 1 if j >= i else j + 8)]
    if key in DAYS:
        return [DAYS.index(key)]
    raise ValueError(f"{key!r} is not a day: use mon..sun, a range like mon-fri, or daily")


def parse_span(span: str) -> tuple[int, int]:
    """'09:00-18:00' -> minutes (540, 1080); an end before the start runs past midnight."""
    m = _SPAN.match(span.strip())
    if not m:
        raise ValueError(f"{span!r} is not a time span like 09:00-18:00 (or 'closed')")
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
        raise ValueError(f"{span!r} has an impossible time")
    return h1 * 60 + m1, h2 * 60 + m2


@dataclass
class SettingsResult:
    path: Path | None
    settings: FleetSettings
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def find_settings(explicit: Path | None = None) -> Path | None:
    """--fleet PATH, else $KIOSK_FLEET, else fleet.yaml next to the program or in the user config folder."""
    if explicit is not None:
        return Path(explicit)
    if os.environ.get("KIOSK_FLEET"):
        return Path(os.environ["KIOSK_FLEET"])
    from kiosk.locate import executable_dirs, is_frozen, user_config_dir

    places = [d / FLEET_NAME for d in executable_dirs()] if is_frozen() else []
    places.append(user_config_dir() / FLEET_NAME)
    for p in places:
        if p.is_file():
            return p
    return None


def load_settings(path: Path | None) -> SettingsResult:
    """Read fleet.yaml; no file means no fleet features (a stand-alone kiosk). Never raises.

    A file with errors turns every fleet feature off (and says where): a half-read key or URL
    must not be used."""
    if path is None:
        return SettingsResult(None, FleetSettings())
    from kiosk.content import messages, yamlsrc

    src = yamlsrc.parse(Path(path), None)
    problems = list(src.problems)
    if not src.usable:
        return SettingsResult(Path(path), FleetSettings(), problems or [Problem(Path(path).name, 0, 0, "error", "cannot read the file")])
    data = src.data if src.data is not None else {}
    if not isinstance(data, dict):
        return SettingsResult(Path(path), FleetSettings(), [Problem(Path(path).name, 0, 0, "error", "expected a mapping of keys")])
    try:
        settings = FleetSettings.model_validate(data)
    except ValidationError as exc:
        return SettingsResult(Path(path), FleetSettings(), problems + messages.validation_problems(src, exc))
    if any(p.is_error for p in problems):
        return SettingsResult(Path(path), FleetSettings(), problems)
    return SettingsResult(Path(path), settings, problems)
