"""Saved views and sequences for presenting at General Conferences.

A view is a page plus its state (filters, layers, viewport, selected institution): exactly what
the page writes to its URL, so a view is also a plain link. A sequence is an ordered, named list
of views, saved to and loaded from a JSON file.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from .errors import InputError, Issue

#: page key -> (URL path, title); the URL path is the page file's stem (st.navigation).
PAGES = {
    "overview": ("", "Overview"),
    "collections_map": ("collections_map", "Collections map"),
    "network": ("network", "Collaboration network"),
    "exhibitions": ("exhibitions", "Exhibitions & visitors"),
    "masterpieces": ("masterpieces", "Masterpieces & experts"),
}
SEQUENCE_VERSION = 1


@dataclass
class View:
    """One saved view: a page and the query parameters that reproduce it."""

    name: str
    page: str
    params: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def url(self, base: str = "") -> str:
        """The plain link that reopens this view."""
        path = PAGES[self.page][0]
        query = urlencode(self.params)
        return f"{base}/{path}" + (f"?{query}" if query else "")


@dataclass
class Sequence:
    """An ordered list of views with a title."""

    title: str = "ASEMUS presentation"
    views: list[View] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"version": SEQUENCE_VERSION, "title": self.title,
                           "views": [asdict(v) for v in self.views]}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, *, file: str = "sequence.json") -> "Sequence":
        """Read a sequence file; every problem is reported with the view it concerns."""
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError([Issue(file, f"not a JSON file ({exc})")]) from exc
        if not isinstance(data, dict) or not isinstance(data.get("views"), list):
            raise InputError([Issue(file, "expected an object with a 'views' list")])
        issues, views = [], []
        for i, v in enumerate(data["views"], start=1):
            if not isinstance(v, dict):
                issues.append(Issue(file, "a view must be an object", row=i))
                continue
            page = v.get("page")
            if page not in PAGES:
                issues.append(Issue(file, f"unknown page; pages: {', '.join(PAGES)}", row=i,
                                    column="page", value=page))
                continue
            params = v.get("params") or {}
            if not isinstance(params, dict):
                issues.append(Issue(file, "params must be an object", row=i, column="params"))
                continue
            views.append(View(name=str(v.get("name") or f"View {i}"), page=page,
                              params={str(k): str(val) for k, val in params.items()},
                              note=str(v.get("note") or "")))
        if issues:
            raise InputError(issues)
        return cls(title=str(data.get("title") or "ASEMUS presentation"), views=views)

    def move(self, index: int, offset: int) -> None:
        """Move view ``index`` up (-1) or down (+1)."""
        j = index + offset
        if 0 <= index < len(self.views) and 0 <= j < len(self.views):
            self.views[index], self.views[j] = self.views[j], self.views[index]


def sample_sequence() -> Sequence:
    """Five views across five pages: a starting point to edit, and the demo of the stepper."""
    return Sequence("ASEMUS at a glance", [
        View("The network at a glance", "overview"),
        View("Japanese prints in European museums, 1600-1900", "collections_map",
             {"region": "Europe", "origin": "JPN", "category": "prints", "period": "1600..1900"}),
        View("Who bridges Asia and Europe", "network"),
        View("Exhibitions and their visitors", "exhibitions"),
        View("The Virtual Collection of Masterpieces", "masterpieces"),
    ])
