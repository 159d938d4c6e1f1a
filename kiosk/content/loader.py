"""Load `content.yaml` into the typed model, collecting located problems.

Minimal first version: safe YAML + pydantic. The operators' issue deepens the error locations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from kiosk.content.model import Exhibition
from kiosk.content.problems import Problem


@dataclass
class LoadResult:
    path: Path
    exhibition: Exhibition | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return self.exhibition is not None and not self.errors


def load(path: str | Path) -> LoadResult:
    path = Path(path)
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return LoadResult(path, None, [Problem(name, 0, 0, "error", str(exc))])
    try:
        exhibition = Exhibition.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(name, 0, 0, "error", err["msg"], ".".join(str(p) for p in err["loc"])) for err in exc.errors()
        ]
        return LoadResult(path, None, problems)
    return LoadResult(path, exhibition, [])
