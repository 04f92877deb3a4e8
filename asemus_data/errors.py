"""Problems found in input, reported so that a person can fix the file."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One problem in an input file.

    ``row`` is the line a person sees in a spreadsheet: the header is row 1, the first data row
    is row 2. ``None`` means the problem concerns the whole file or a whole column.
    """

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None and str(self.value) != "":
            v = str(self.value)
            parts.append(f"value {v[:60]!r}" + ("..." if len(v) > 60 else ""))
        return ", ".join(parts) + f": {self.rule}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column,
                "value": None if self.value is None else str(self.value), "rule": self.rule}


@dataclass
class InputError(Exception):
    """Raised when a file cannot be read or does not pass validation. Carries every issue found."""

    issues: list[Issue] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{len(self.issues)} problem(s) found"
        body = "\n".join(f"  - {i}" for i in self.issues[:50])
        more = f"\n  ... and {len(self.issues) - 50} more" if len(self.issues) > 50 else ""
        return f"{head}:\n{body}{more}"


class StoreError(RuntimeError):
    """The store cannot be used as it is (the message says why and what to do)."""


class StoreBusy(StoreError):
    """Another writer holds the store for longer than we were asked to wait."""


class StoreCorrupt(StoreError):
    """The store file is damaged, truncated, or not an ASEMUS store."""
