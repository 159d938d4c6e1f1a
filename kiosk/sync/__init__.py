"""Fleet support without a server of our own (issue 14).

- `bundle`: pack content.yaml and every asset it names into one archive with a manifest, and
  unpack such an archive safely (hashes, sizes, paths);
- `signing`: Ed25519 signatures in minisign's format (py-minisign, on `cryptography`);
- `settings`: the kiosk's own fleet settings (kiosk id, sync URL and public key, heartbeat,
  metrics, opening hours), kept apart from content.yaml so a downloaded bundle cannot replace
  the key that vouches for it;
- `store`, `client`, `worker`: pull bundles over HTTP(S), verify, switch atomically, roll back;
- `heartbeat`, `metrics`, `hours`: liveness pings, Prometheus textfile, opening hours.

No Qt anywhere in this package (an import-linter contract in pyproject.toml): the shell only
receives "new content ready" from `worker.SyncWorker`'s callback.
"""
