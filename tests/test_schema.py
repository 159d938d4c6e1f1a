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


def test_schema_offers_icon_names_and_checks_their_shape() -> None:
    """An editor completes icon names from examples and underlines a malformed one; every shipped
    icon name fits the pattern (the full list of ~25,000 names is `kiosk check`'s job)."""
    import re

    from kiosk.content.icons import icon_names

    node = schema()["$defs"]["FlowNode"]["properties"]["icon"]
    icon = next(alt for alt in node["anyOf"] if alt.get("type") == "string")
    assert "mdi6.pine-tree" in icon["examples"]
    assert all(name in icon_names() for name in icon["examples"])
    assert re.match(icon["pattern"], "mdi6.pine-tree") and re.match(icon["pattern"], "ph.factory")
    assert not re.match(icon["pattern"], "assets/images/tree.png")
    shipped = re.findall(r"^\s*icon: (\S+)$", (REPO / "content.yaml").read_text(encoding="utf-8"), re.M)
    assert len(shipped) > 20 and all(re.match(icon["pattern"], n) and n in icon_names() for n in shipped)
