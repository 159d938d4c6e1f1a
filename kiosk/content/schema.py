"""`kiosk schema [--out F]`: the JSON Schema of content.yaml, for editors' autocompletion.

Editors with the YAML language server pick it up from the first line of content.yaml:
`# yaml-language-server: $schema=content.schema.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kiosk.content.model import Exhibition

TITLE = "Negative-emissions kiosk content"
DESCRIPTION = (
    "The content file of the negative-emissions exhibition kiosk (content.yaml): texts in every "
    "language, theme, timings and screens. Check a file with `kiosk check`."
)


def schema() -> dict[str, Any]:
    data = Exhibition.model_json_schema(by_alias=True)
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    out.update(data)
    out["title"] = TITLE
    out["description"] = DESCRIPTION
    return out


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def main(out: Path | None = None) -> int:
    text = schema_text()
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        from kiosk.atomic import write_atomic

        write_atomic(out, text)
    except OSError as exc:
        print(f"kiosk schema: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0
