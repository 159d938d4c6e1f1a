"""The JSON Schema that editors use: committed, and never stale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kiosk.content.schema import schema, schema_text

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "content.schema.json"


def test_committed_schema_is_what_kiosk_schema_writes_now() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "content.schema.json is stale: run `kiosk schema --out content.schema.json` and commit it"
    )


def test_kiosk_schema_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "schema", "--out", str(out)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == schema_text()


def test_schema_forbids_unknown_keys_and_uses_yaml_names() -> None:
    data = schema()
    assert data["title"] and data["description"]
    assert data["additionalProperties"] is False
    link = data["$defs"]["FlowLink"]
    assert link["additionalProperties"] is False
    assert "from" in link["properties"] and "from_" not in link["properties"]
    assert set(data["required"]) == {"title", "languages", "theme", "ui", "screens"}
    json.dumps(data)
