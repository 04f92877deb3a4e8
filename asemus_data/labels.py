"""The words a visitor reads for a column: one vocabulary for every table in the app.

A data column keeps its name (``weighted_degree``: the name the exports, the store and the tests
use); on screen it shows ``label`` with ``help`` on hover. ``ui.column_config`` turns this into
Streamlit column settings, so every table on every page takes its headers from here.
"""
from __future__ import annotations

import re

#: What the network metrics mean here, in plain words (metric tiles and table headers share them).
PAGERANK_HELP = ("How central an institution is, counting who it is tied to: a tie to a "
                 "well-connected institution counts for more than a tie to an isolated one "
                 "(PageRank, weighted by the number of ties). All institutions add up to 1.")
BETWEENNESS_HELP = ("How often an institution lies on the shortest chain of ties between two "
                    "others (0 to 1): a high value means it links groups that are otherwise "
                    "far apart.")
BROKERAGE_HELP = ("Asia-Europe brokerage: the number of Asian-European pairs of institutions "
                  "whose shortest chain of ties runs through this one (a pair with several "
                  "shortest chains counts in part).")
EI_HELP = ("E-I index: (ties across Asia-Europe - ties within a region) / (all those ties). "
           "-1: every tie stays within Asia or within Europe; +1: every tie crosses; 0: balanced.")
CLUSTERING_HELP = ("Share of an institution's partners that are tied to each other too "
                   "(0: none, 1: all): a tight circle scores high.")
DEGREE_HELP = "Number of other institutions this one is tied to."
WEIGHTED_DEGREE_HELP = "Number of ties (a pair tied by two exhibitions counts twice)."

#: column name -> (label, help). Help None: the label says it all.
LABELS: dict[str, tuple[str, str | None]] = {
    # people and places
    "name": ("Name", None),
    "name_local": ("Name in its own language", None),
    "alt_names": ("Other names", "Other names the sources use."),
    "institution": ("Institution", None),
    "institution_a": ("Institution", None),
    "institution_b": ("Tied with", None),
    "museum": ("Museum", None),
    "city": ("City", None),
    "country": ("Country", None),
    "country_code": ("Country code", "ISO 3166 two-letter code."),
    "region": ("Region", "ASEM grouping: Asia or Europe."),
    "latitude": ("Latitude", None),
    "longitude": ("Longitude", None),
    "coord_precision": ("Location precision", "How exact the position is (building, city, ...)."),
    "coordinate_source": ("Location source", "Where the position comes from."),
    "location_note": ("Location note", None),
    "website": ("Website", None),
    "type": ("Type", None),
    "member_status": ("ASEMUS membership", "member: a source states membership; documented role: "
                      "a documented ASEMUS role; not documented: no documented membership."),
    "membership_evidence": ("Membership evidence", "The source that documents the membership."),
    "group": ("In the network as", "ASEMUS member (a source states it) or documented participant "
              "(an ASEMUS role, or named in an ASEMUS activity): the same on every page."),
    "evidence": ("Evidence", "What the classification rests on, as the source states it."),
    "evidence_strength": ("Strength of evidence", "stated; weak (a picture caption, an ambiguous "
                          "source); a documented ASEMUS role; named in an ASEMUS activity."),
    "year_joined": ("Year joined", None),
    "asian_collections": ("Asian collections", "What the sources say of its Asian collections."),
    "asian_collections_source": ("Source (Asian collections)", None),
    "domains": ("Collection domains", None),
    "role": ("Role", None),
    # provenance
    "source": ("Source", "Where the row comes from."),
    "sources": ("Sources", "Where each tie comes from."),
    "source_extra": ("Further sources", None),
    "status": ("Data status", "documented, imported, illustrative (not real) or synthetic "
                              "(not real)."),
    "notes": ("Notes", None),
    "note": ("Note", None),
    "qualifier": ("Qualifier", "How sure the source is (e.g. 'about', 'at least')."),
    # objects and holdings
    "title": ("Title", None),
    "origin": ("Origin", "Country or culture the object comes from."),
    "category": ("Category", None),
    "material": ("Material", None),
    "period": ("Period", None),
    "period_start": ("From (year)", "Negative years are BCE."),
    "period_end": ("To (year)", "Negative years are BCE."),
    "date_text": ("Date as written", "The date as the source writes it."),
    "date_certainty": ("Date certainty", "How sure the years are. as stated: the years the text "
                       "states; approximate: circa, the years include the margin; several "
                       "readings: collections turn this text into years in different ways "
                       "('18th-19th century', '1931, printed 1979'), the years span every "
                       "reading; uncertain: the text itself doubts the date. Blank: the source "
                       "gave its years without saying."),
    "objects": ("Objects", None),
    "kind": ("Kind", None),
    "series": ("Series", None),
    # exhibitions and meetings
    "label": ("Label", None),
    "year": ("Year", None),
    "dates": ("Dates", None),
    "host": ("Host", None),
    "venue": ("Venue", None),
    "venue_name": ("Venue", None),
    "venue_order": ("Stop", "The venue's place in the tour (1 = first)."),
    "venues": ("Venues", None),
    "days_open": ("Days open", None),
    "visitors_text": ("Visitors", "As the source states them."),
    "per_day_text": ("Visitors per day", "Visitors divided by the days open."),
    "attendance": ("Attendance", None),
    "rank": ("Rank", "Place by visitors that year; blank where the source gives none."),
    "scope": ("Scope", None),
    "meetings": ("Meetings", None),
    # network
    "degree": ("Institutions tied", DEGREE_HELP),
    "weighted_degree": ("Ties", WEIGHTED_DEGREE_HELP),
    "betweenness": ("Betweenness", BETWEENNESS_HELP),
    "brokerage": ("Asia-Europe brokerage", BROKERAGE_HELP),
    "pagerank": ("PageRank", PAGERANK_HELP),
    "clustering": ("Clustering", CLUSTERING_HELP),
    "k_core": ("Core level", "k-core: the institution sits in a group where every member has at "
                             "least this many ties inside the group."),
    "component": ("Group", "Connected group of institutions (0 = the largest)."),
    "component_size": ("Group size", "Institutions in its connected group."),
    "community": ("Community", "Cluster found by the Louvain method (0 = the largest): "
                               "institutions tied more among themselves than to others."),
    "types": ("Tie types", None),
    "year_start": ("From", "First year of the tie; blank: undated."),
    "year_end": ("To", "Last year of the tie; blank: undated."),
    "weight": ("Ties", "Number of ties between the two (several exhibitions, seats...)."),
    "what": ("What ties them", None),
    "step": ("Step", "1: the institution's own ties; 2: its partners' ties."),
    "ties": ("Ties", None),
    "degree_before": ("Institutions tied before", None),
    "degree_now": ("Institutions tied now", None),
    "pagerank_before": ("PageRank before", PAGERANK_HELP),
    "pagerank_now": ("PageRank now", PAGERANK_HELP),
    "pagerank_change": ("PageRank change", "PageRank now minus PageRank before."),
    # the Data page
    "table": ("Table", None),
    "rows": ("Rows", None),
    "column": ("Column", None),
    "description": ("Description", None),
    "required": ("Required", None),
    "nullable": ("May be empty", None),
    "allowed": ("Allowed values", None),
    "example": ("Example", None),
    "filled": ("Filled", "Share of rows with a value."),
    "missing": ("Missing", "Rows with no value."),
    "institutions": ("Institutions", None),
    "no_coordinates": ("Without a location", "Institutions with no coordinates."),
    "venues_no_dates": ("Venues without dates", None),
    "venues_no_visitors": ("Venues without visitor figures", None),
    "meetings_no_full_date": ("Meetings without a full date", None),
    "documented": ("Documented", "Transcribed from a cited public source."),
    "imported": ("Imported", "From a member's file."),
    "illustrative": ("Illustrative", "Made up to show how the dashboard works: not real."),
    "synthetic": ("Synthetic", "Generated for benchmarks: not real."),
    "metric": ("Measure", None),
    "value": ("Value", None),
    "field": ("Field", None),
}

_WORD = re.compile(r"[A-Za-z0-9]+")


def label(column) -> str:
    """The header a visitor reads for ``column``: the vocabulary's, else the name in words
    ('year_of_birth' -> 'Year of birth'), so no snake_case name reaches the screen."""
    name = str(column)
    if name in LABELS:
        return LABELS[name][0]
    if "_" not in name:
        return name
    words = " ".join(_WORD.findall(name))
    return words[:1].upper() + words[1:]


def help_text(column) -> str | None:
    """What ``column`` means, for the header's tooltip (None when the label says it all)."""
    return LABELS.get(str(column), (None, None))[1]


#: The kind of value a column holds, in words (pandas dtype names are for the code).
TYPE_WORDS = {"string[pyarrow]": "text", "string": "text", "str": "text", "object": "text",
              "Int64": "whole number", "int64": "whole number", "float64": "number",
              "Float64": "number", "boolean": "yes / no", "bool": "yes / no"}


def column_sheet(info):
    """``schemas.column_info`` as a visitor reads it: the value type in words, allowed values as
    one comma-separated text (blank when any value is allowed)."""
    out = info.copy()
    if "type" in out:
        out["type"] = [TYPE_WORDS.get(str(t), "date" if "date" in str(t) else "text")
                       for t in out["type"]]
    if "allowed" in out:
        out["allowed"] = [", ".join(map(str, a)) if isinstance(a, (list, tuple)) else ""
                          for a in out["allowed"]]
    return out


def _control_value(value) -> str:
    if value is True:
        return "on"
    if isinstance(value, (list, tuple, set)):
        return ", ".join(map(str, value))
    return f"'{value}'"


def empty_message(what: str, sidebar: str | None, controls: dict | None = None) -> str:
    """Why nothing is shown, naming the control that caused it. ``sidebar`` describes the
    sidebar filters in force (None or "" when there are none); ``controls`` maps a page
    control's label to its value (an empty value: not in force), e.g. {"Search objects": "xyz"}."""
    active = {k: v for k, v in (controls or {}).items() if v}
    page = "; ".join(f"{k} {_control_value(v)}" for k, v in active.items())
    one = len(active) == 1
    if page and sidebar:
        return (f"No {what} matches {page} together with the sidebar filters ({sidebar}). Change "
                f"{'that control' if one else 'these controls'} on the page, or widen the "
                "filters in the sidebar.")
    if page:
        return (f"No {what} matches {page}. Change or clear {'that control' if one else 'these controls'} "
                "on the page (the sidebar filters are not the cause: none is set).")
    if sidebar:
        return (f"No {what} matches the sidebar filters ({sidebar}). Widen or clear the filters in "
                "the sidebar.")
    return f"No {what} is in the data yet."
