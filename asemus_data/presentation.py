"""Saved views and sequences for presenting at General Conferences.

A view is a page plus its state (filters, layers, viewport, selected institution): exactly what
the page writes to its URL, so a view is also a plain link. A sequence is an ordered, named list
of views, saved to and loaded from a JSON file, and (by staff) to the store under a name that
anyone can reopen with a link (``/presentation?sequence=<name>``).
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import quote, urlencode
from uuid import uuid4

from . import store as st
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

#: The shared filters as the URL spells them, with a plain label. Institution filters apply on every
#: page; holdings filters only where a page shows holdings (ui.sidebar_filters(holdings=True)).
INSTITUTION_FILTERS = {"region": "region", "country": "country", "type": "institution type",
                       "member": "membership", "q": "name or city"}
HOLDING_FILTERS = {"origin": "origin", "category": "category", "material": "material",
                   "period": "period", "status": "data status"}
FILTER_LABELS = {**INSTITUTION_FILTERS, **HOLDING_FILTERS}
#: page -> the shared filters it applies; a saved view holds these and no others. The network and
#: exhibitions pages select institutions only (net.institution_ids, ex.for_institutions).
PAGE_FILTERS = {
    "overview": tuple(INSTITUTION_FILTERS),
    "collections_map": tuple(FILTER_LABELS),
    "network": tuple(INSTITUTION_FILTERS),
    "exhibitions": tuple(INSTITUTION_FILTERS),
    "masterpieces": tuple(FILTER_LABELS),
}


def page_state(page: str, params: dict[str, str]) -> dict[str, str]:
    """``params`` without the shared filters that ``page`` does not apply (its own state, such as
    layers or tie types, is kept): what a view of that page holds."""
    used = set(PAGE_FILTERS.get(page, ()))
    return {k: v for k, v in params.items() if k not in FILTER_LABELS or k in used}


def describe_param(key: str, value: str) -> str:
    """One piece of a view's state as a short plain line ('origin: CHN, JPN')."""
    return f"{FILTER_LABELS.get(key, key.replace('_', ' '))}: {value.replace(',', ', ')}"


def describe_state(params: dict[str, str]) -> list[str]:
    """The state a view holds as short plain lines, the shared filters first."""
    order = sorted(params, key=lambda k: k not in FILTER_LABELS)
    return [describe_param(k, params[k]) for k in order]


def new_id() -> str:
    """A fresh view identity (random, so views from two sessions never collide)."""
    return uuid4().hex


@dataclass
class View:
    """One saved view: a page and the query parameters that reproduce it.

    ``id`` is the view's identity: reordering, renaming, removing and duplicating act on it, never
    on the view's position, and widget keys and pack folders are derived from it."""

    name: str
    page: str
    params: dict[str, str] = field(default_factory=dict)
    note: str = ""
    id: str = field(default_factory=new_id)

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
    def from_json(cls, text: str | bytes, *, file: str = "sequence.json") -> Sequence:
        """Read a sequence file; every problem is reported with the view it concerns."""
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError([Issue(file, f"not a JSON file ({exc})")]) from exc
        if not isinstance(data, dict) or not isinstance(data.get("views"), list):
            raise InputError([Issue(file, "expected an object with a 'views' list")])
        issues, views, seen = [], [], set()
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
            # files from before views had ids (or with a copied id) get a fresh one
            vid = str(v.get("id") or "")
            if not vid or vid in seen:
                vid = new_id()
            seen.add(vid)
            # older files may hold filters their page never applied: drop them
            views.append(View(name=str(v.get("name") or f"View {i}"), page=page,
                              params=page_state(page, {str(k): str(val) for k, val in params.items()}),
                              note=str(v.get("note") or ""), id=vid))
        if issues:
            raise InputError(issues)
        return cls(title=str(data.get("title") or "ASEMUS presentation"), views=views)

    def move(self, index: int, offset: int) -> None:
        """Move the view at position ``index`` up (-1) or down (+1)."""
        j = index + offset
        if 0 <= index < len(self.views) and 0 <= j < len(self.views):
            self.views[index], self.views[j] = self.views[j], self.views[index]

    def keep_params(self, view_id: str, keys) -> None:
        """Keep only the state ``keys`` in the view ``view_id`` (the rest is removed)."""
        view = self.get(view_id)
        view.params = {k: v for k, v in view.params.items() if k in set(keys)}

    def set_note(self, view_id: str, note: str) -> None:
        """The presenter's own caption for the view ``view_id`` (at most 300 characters)."""
        self.get(view_id).note = note.strip()[:300]

    def index(self, view_id: str) -> int:
        """The position of the view with id ``view_id``; KeyError when there is none."""
        for i, v in enumerate(self.views):
            if v.id == view_id:
                return i
        raise KeyError(view_id)

    def get(self, view_id: str) -> View:
        """The view with id ``view_id``; KeyError when there is none."""
        return self.views[self.index(view_id)]

    def move_view(self, view_id: str, offset: int) -> None:
        """Move the view ``view_id`` up (-1) or down (+1); it keeps its id, name and state."""
        self.move(self.index(view_id), offset)

    def rename(self, view_id: str, name: str) -> None:
        """Rename the view ``view_id`` (blank names are ignored; at most 120 characters)."""
        name = name.strip()[:120]
        if name:
            self.get(view_id).name = name

    def remove(self, view_id: str) -> str | None:
        """Remove the view ``view_id``; returns the id of the view now in its place (the next,
        else the previous), or None when the sequence is empty."""
        i = self.index(view_id)
        del self.views[i]
        if not self.views:
            return None
        return self.views[min(i, len(self.views) - 1)].id

    def duplicate(self, view_id: str) -> View:
        """Insert a copy of the view ``view_id`` right after it, with a new id; returns the copy."""
        i = self.index(view_id)
        src = self.views[i]
        copy = replace(src, name=f"{src.name} (copy)"[:120], params=dict(src.params), id=new_id())
        self.views.insert(i + 1, copy)
        return copy


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


# --- sequences kept in the store -------------------------------------------------------------------
SEQUENCES_TABLE = """CREATE TABLE IF NOT EXISTS sequences (
    name VARCHAR PRIMARY KEY, json VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL)"""
_NAME = re.compile(r"[\w .,()&'-]{1,80}")


def check_name(name: str) -> str:
    """The sequence name, stripped; InputError when it cannot name a sequence in a link."""
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise InputError([Issue("sequence name", "a name is 1 to 80 letters, digits, spaces or "
                                ".,()&'- (it goes into the link that reopens the sequence)",
                                value=name[:100])])
    return name


def sequence_link(name: str, base: str = "") -> str:
    """The link that reopens the stored sequence ``name`` on the Present page."""
    return f"{base}/presentation?sequence={quote(name, safe='')}"


def save_sequence(seq: Sequence, name: str, *, store=None) -> str:
    """Save ``seq`` in the store under ``name`` (replacing a sequence of that name), in one write
    through store.writing like the importer's (``store``: the store path, default the app's).
    Returns the checked name. Staff only: the caller checks who is asking."""
    name = check_name(name)
    with st.writing(store) as con:
        con.execute(SEQUENCES_TABLE)
        con.execute("INSERT OR REPLACE INTO sequences VALUES (?, ?, ?)",
                    [name, seq.to_json(), datetime.now(UTC).replace(tzinfo=None)])
    return name


def _has_sequences(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                            "'sequences' AND table_catalog = current_database() "
                            "AND table_schema = current_schema()").fetchone()[0])


def load_sequence(con, name: str) -> Sequence | None:
    """The stored sequence ``name`` (read on any connection to the store), or None."""
    if not _has_sequences(con):
        return None
    row = con.execute("SELECT json FROM sequences WHERE name = ?", [name]).fetchone()
    return Sequence.from_json(row[0], file=f"stored sequence '{name}'") if row else None


def stored_sequences(con) -> list[tuple[str, str]]:
    """(name, saved at 'YYYY-MM-DD HH:MM UTC') of every stored sequence, newest first."""
    if not _has_sequences(con):
        return []
    rows = con.execute("SELECT name, saved_at FROM sequences ORDER BY saved_at DESC, name").fetchall()
    return [(n, f"{t:%Y-%m-%d %H:%M} UTC") for n, t in rows]
