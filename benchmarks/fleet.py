"""Fleet run: N headless kiosk sync clients (separate processes) against one real nginx.

    python benchmarks/fleet.py [--clients 20] [--interval 5] [--outage 60] [--quick]

1. publish bundle v1 and start the clients (each its own process, bundle folder and back-off);
2. steady state: how many bytes an idle poll costs (a 304 has no body);
3. publish v2: the time until every client runs it, and the bytes served for the roll-out;
4. stop the server for `--outage` seconds (v3 is published meanwhile), start it again: what the
   clients did while it was gone (requests, largest wait between tries) and the time from its
   return until every client runs v3.

Prints a human summary and one JSON line with every figure. Traffic goes to 127.0.0.1 only; every
wait is bounded and the run stops by itself (`--quick` shortens the outage to 10 s).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def client_main(args) -> int:
    """One headless kiosk: a SyncWorker printing every poll's result as a JSON line."""
    import logging

    from kiosk.sync.client import Syncer
    from kiosk.sync.settings import SyncSettings
    from kiosk.sync.store import BundleStore
    from kiosk.sync.worker import SyncWorker

    logging.basicConfig(level=logging.CRITICAL)
    settings = SyncSettings(url=args.url, public_key=args.key, interval_s=args.interval, timeout_s=5)
    store = BundleStore(Path(args.store), keep=2)

    def report(r):
        line = {"client": args.client_id, "t": time.time(), "status": r.status, "version": store.current_version, "bytes": r.bytes_received}
        print(json.dumps(line), flush=True)

    worker = SyncWorker(Syncer(settings, store), on_result=report, interval_s=args.interval, max_backoff_s=args.max_backoff)
    worker.start()
    try:
        sys.stdin.read()  # the parent closes stdin to end the client
    finally:
        worker.stop()
    return 0


class Fleet:
    def __init__(self, n: int, url: str, key: str, root: Path, interval: float, max_backoff: float) -> None:
        self.events: list[dict] = []
        self.lock = threading.Lock()
        self.procs = []
        for i in range(n):
            cmd = [sys.executable, __file__, "--client", str(i), "--url", url, "--key", key,
                   "--store", str(root / f"kiosk{i:02d}"), "--interval", str(interval)]
            if max_backoff is not None:
                cmd += ["--max-backoff", str(max_backoff)]
            p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            threading.Thread(target=self._read, args=(p,), daemon=True).start()
            self.procs.append(p)

    def _read(self, p) -> None:
        for line in p.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                self.events.append(event)

    def versions(self) -> dict[int, int | None]:
        latest: dict[int, int | None] = {}
        with self.lock:
            for e in self.events:
                latest[e["client"]] = e["version"]
        return latest

    def wait_all(self, version: int, n: int, limit_s: float) -> float | None:
        """Seconds until all n clients report `version` (None if not within limit_s)."""
        start = time.time()
        while time.time() - start < limit_s:
            v = self.versions()
            if len(v) == n and all(x == version for x in v.values()):
                return time.time() - start
            time.sleep(0.05)
        return None

    def arrival_times(self, version: int, since: float) -> list[float]:
        first: dict[int, float] = {}
        with self.lock:
            for e in self.events:
                if e["version"] == version and e["t"] >= since and e["client"] not in first:
                    first[e["client"]] = e["t"] - since
        return sorted(first.values())

    def stop(self) -> None:
        for p in self.procs:
            try:
                p.stdin.close()
            except OSError:
                pass
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def served(server, since_line: int) -> tuple[dict, int]:
    log = server.log()[since_line:]
    by_status: dict[int, int] = {}
    body = 0
    for status, sent, _m, _uri in log:
        by_status[status] = by_status.get(status, 0) + 1
        body += sent
    return {"requests": len(log), "by_status": by_status, "body_bytes": body}, len(server.log())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--interval", type=float, default=5.0, help="poll interval of each client, seconds")
    parser.add_argument("--max-backoff", type=float, default=None, help="back-off cap (default: the kiosk's, 8 intervals)")
    parser.add_argument("--outage", type=float, default=60.0, help="seconds the server is gone")
    parser.add_argument("--quick", action="store_true", help="10 s outage")
    parser.add_argument("--client", type=int, dest="client_id", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client_id is not None:
        return client_main(args)
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(name, None)
    outage = 10.0 if args.quick else args.outage
    from fleet_helpers import Nginx, Publisher

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-fleet-"))
    pub = Publisher(tmp / "pub", tmp / "www")
    pub.publish(1, "Fleet v1")
    size = (tmp / "www" / "bundle.tar.gz").stat().st_size
    server = Nginx(tmp / "www", tmp / "nginx").start()
    n = args.clients
    print(f"{n} clients, poll every {args.interval:g} s, bundle {size / 1024:.0f} KiB, outage {outage:g} s", flush=True)
    fleet = Fleet(n, f"{server.url}/bundle.tar.gz", pub.keys.public_base64, tmp / "kiosks", args.interval, args.max_backoff)
    figures: dict = {"clients": n, "interval_s": args.interval, "bundle_bytes": size, "outage_s": outage}
    try:
        t = fleet.wait_all(1, n, 120)
        figures["first_rollout_s"] = t
        print(f"v1 on all {n}: {t:.1f} s after start" if t is not None else "v1 did not reach every client", flush=True)
        mark = len(server.log())
        idle_window = 3 * args.interval
        time.sleep(idle_window)
        idle, mark = served(server, mark)
        figures["idle"] = {**idle, "window_s": idle_window}
        print(f"idle {idle_window:g} s: {idle['requests']} requests {idle['by_status']}, {idle['body_bytes']} body bytes", flush=True)

        pub.publish(2, "Fleet v2")
        t0 = time.time()
        t = fleet.wait_all(2, n, 10 * args.interval + 60)
        arrivals = fleet.arrival_times(2, t0)
        time.sleep(0.5)
        roll, mark = served(server, mark)
        figures["rollout"] = {"all_s": t, "median_s": arrivals[len(arrivals) // 2] if arrivals else None, **roll}
        print(f"v2 on all {n}: {t:.1f} s (median client {figures['rollout']['median_s']:.1f} s); "
              f"{roll['requests']} requests {roll['by_status']}, {roll['body_bytes'] / 1024:.0f} KiB served "
              f"({roll['body_bytes'] / max(1, n * size):.2f} x bundle size x clients)", flush=True)

        server.stop()
        down_at = time.time()
        events_before = len(fleet.events)
        time.sleep(outage / 2)
        pub.publish(3, "Fleet v3")  # published while the server is gone: it waits on disk
        time.sleep(outage / 2)
        during = fleet.events[events_before:]
        gaps = []
        for c in range(n):
            ts = [e["t"] for e in during if e["client"] == c]
            gaps += [b - a for a, b in zip(ts, ts[1:])]
        unreachable = sum(1 for e in during if e["status"] == "unreachable")
        still_v2 = sum(1 for v in fleet.versions().values() if v == 2)
        server = _restart(server)
        up_at = time.time()
        t = fleet.wait_all(3, n, 40 * args.interval + 600)
        after, mark = served(server, mark)
        figures["outage"] = {
            "tries_while_down": unreachable,
            "largest_wait_between_tries_s": round(max(gaps), 1) if gaps else None,
            "clients_still_on_v2_while_down": still_v2,
            "all_on_v3_after_return_s": t,
            "after_return": after,
            "down_s": round(up_at - down_at, 1),
        }
        print(f"server gone {up_at - down_at:.0f} s: {unreachable} failed tries by {n} clients, largest wait between "
              f"tries {figures['outage']['largest_wait_between_tries_s']} s, {still_v2}/{n} kept showing v2", flush=True)
        print(f"after it came back: v3 on all {n} in {t:.1f} s; {after['requests']} requests {after['by_status']}" if t is not None
              else "after it came back: v3 did not reach every client in time", flush=True)
    finally:
        fleet.stop()
        server.stop()
    print(json.dumps(figures))
    return 0


def _restart(server):
    """The same nginx, same port and root, started again (the clients' URL stays valid)."""
    server.start()
    return server


if __name__ == "__main__":
    raise SystemExit(main())
