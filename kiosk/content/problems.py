"""Problems found in a content file, each located at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    col: int  # 1-based; 0 when unknown
    severity: Severity
    message: str
    key: str = ""  # dotted path of the offending key, e.g. "screens[2].title.de"

    def headline(self) -> str:
        """`content.yaml:12:5: error: message`, the form editors and CI logs understand."""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
