"""Figures for exhibitions, their venues and visitors, and institution-year visitor series.

Pure builders returning ``go.Figure`` / ``pdk.Deck``; frames come from ``asemus_data.exhibitions``.
Hover texts carry the source and keep qualifiers; tooltips on maps are HTML-escaped.
"""
from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from plotly.subplots import make_subplots

from .. import text
from ..exhibitions import assumption_text
from ..geo import country_region
from ..overview import and_list, number_text, plural
from . import basemap
from .timeline import REGION_HEX, conference_rows

#: One Okabe-Ito colour per exhibition type (colour-blind safe; vermillion is left out because
#: it means "Asia" on the conference map and the committee chart of the same page).
TYPE_COLORS = {
    "ASEMUS travelling exhibition": "#0072B2", "ASEMUS companion exhibition": "#56B4E9",
    "ASEMUS-linked exhibition": "#009E73", "ASEMUS project exhibition": "#E69F00",
    "joint exhibition": "#CC79A7", "member exhibition": "#000000",
}
#: Okabe-Ito for one line per institution or country. Up to 12 lines can be compared, more than
#: 8 colours: the dash (a second channel) changes after every 8 lines, and each line has its own
#: marker symbol.
LINE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
               "#F0E442"]
LINE_DASHES = ["solid", "dash", "dot", "dashdot"]
LINE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "triangle-down", "pentagon",
                "star", "hexagon", "cross", "hourglass", "bowtie"]

#: Deck tooltips: markup here only; the values are text (Streamlit escapes each once) and their
#: line breaks show as breaks (pre-line).
TIP = {"html": "<b>{tip_title}</b><br>{tip_body}", "style": {"whiteSpace": "pre-line"}}


def line_style(i: int) -> dict:
    """Colour, dash and marker symbol of the i-th line (Okabe-Ito + second channels)."""
    return dict(line=dict(color=LINE_COLORS[i % len(LINE_COLORS)],
                          dash=LINE_DASHES[(i // len(LINE_COLORS)) % len(LINE_DASHES)]),
                marker=dict(symbol=LINE_SYMBOLS[i % len(LINE_SYMBOLS)], size=7))


def _rgb(hex_colour: str) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)]


#: Venue bars of a tour: white inside, outlined in the tour's colour, so a venue never reads as
#: a lighter type of exhibition (a faded travelling-exhibition blue looked like the companion one).
VENUE_LEGEND = "venue of a tour (outlined)"


def wrap_label(label: str, width: int = 42, lines: int = 3) -> str:
    """A row label on up to ``lines`` lines of about ``width`` characters, broken between words
    (a title is never cut mid-word; one too long even for that ends with '...' after a word).
    Returns plotly text (escaped, lines joined by <br>)."""
    indent = label[:len(label) - len(label.lstrip())]
    parts = textwrap.wrap(label.strip(), width, max_lines=lines, placeholder=" ...") or [""]
    return "<br>".join(text.html_text(indent + p if i == 0 else p) for i, p in enumerate(parts))


def year_ticks(start: pd.Timestamp, finish: pd.Timestamp) -> dict:
    """Date-axis settings with a tick every year (every 2 or 5 over long spans), labelled by year."""
    years = max(1, finish.year - start.year)
    step = 1 if years <= 15 else 2 if years <= 30 else 5
    return dict(type="date", dtick=f"M{12 * step}", tickformat="%Y", ticklabelmode="period")


def exhibition_timeline(bars: pd.DataFrame) -> go.Figure:
    """Gantt chart of exhibitions (and the venues of tours, indented under them), coloured by
    type. Bars of runs known only to the month span the whole months, drawn hatched, and say so
    in the hover."""
    fig = go.Figure()
    if bars.empty:
        fig.update_layout(title="No dated exhibitions")
        return fig
    rows = list(dict.fromkeys(bars["row"]))
    shown = set()
    for r in bars.itertuples():
        partial = bool(r.note)
        hover = (f"<b>{html.escape(r.title)}</b><br>{html.escape(r.type)}"
                 + (f"<br>venue: {html.escape(r.venue)}" if r.venue else "")
                 + f"<br>dates: {html.escape(r.dates)}"
                 + (f"<br><i>{html.escape(r.note)}: the bar spans the whole period</i>"
                    if partial else "")
                 + f"<br>source: {html.escape(str(r.source))}")
        colour = TYPE_COLORS.get(r.type, "#777777")
        venue = r.level != "exhibition"
        name = VENUE_LEGEND if venue else r.type
        fig.add_trace(go.Bar(
            y=[text.html_text(r.row)], x=[(r.finish - r.start).total_seconds() * 1000], base=[r.start],
            orientation="h", name=name, legendgroup=name, showlegend=name not in shown,
            marker=dict(color="#FFFFFF" if venue else colour,
                        line=dict(color=colour, width=2 if venue else 0),
                        pattern=dict(shape="/" if partial else "", fgcolor=colour)),
            hovertext=[hover], hoverinfo="text"))
        shown.add(name)
    fig.update_layout(
        barmode="overlay", height=max(320, 34 * len(rows) + 120),
        xaxis=year_ticks(bars["start"].min(), bars["finish"].max()),
        margin=dict(l=10, r=10, t=50, b=10), legend_title="type",
        title="Exhibitions and venues (hatched: dates known only to the month)")
    cats = [text.html_text(r) for r in rows[::-1]]  # plotly text: escaped as the bars' y
    fig.update_yaxes(categoryorder="array", categoryarray=cats, title=None, automargin=True,
                     tickvals=cats, ticktext=[wrap_label(r) for r in rows[::-1]])
    return fig


#: The venues map's area on the page (full width at 1440 px), for framing and spreading.
VENUE_MAP_SIZE = (980, 460)


def venue_deck(stops: pd.DataFrame, legs: pd.DataFrame) -> pdk.Deck:
    """Venues as points (colour = exhibition type) and tours as ordered arcs 1 -> 2 -> ...;
    tooltips list each stop with its tour order. The map is framed on the venues
    (basemap.fit_view); places closer than a dot at that zoom (the Japanese tour's Hayama and
    Kanagawa) are drawn side by side with a line to their place (basemap.spread), the arcs
    joining the dots as drawn; each place is labelled with its city where labels do not
    overlap (basemap.declutter)."""
    w, h = VENUE_MAP_SIZE
    view = basemap.fit_view(stops["longitude"], stops["latitude"], width=w, height=h, padding=70,
                            max_zoom=4.5)
    pts = basemap.escape_html(stops, ["city", "country", "stops"]).reset_index(drop=True)
    drawn = basemap.spread(pts["longitude"], pts["latitude"], zoom=view["zoom"], near_px=14,
                           gap_px=12)
    pts["position"] = [[x, y] for x, y in zip(drawn["lon"], drawn["lat"])]
    pts["color"] = [_rgb(TYPE_COLORS.get(t, "#777777")) + [220] for t in pts["type"]]
    # markup only in the template (TIP); values are text, escaped once by Streamlit
    pts["tip_title"] = pts["city"] + ", " + pts["country"]
    pts["tip_body"] = pts["stops"].str.replace(" | ", "\n", regex=False)
    moved = drawn["group_size"] > 1
    layers = [pdk.Layer("ScatterplotLayer", data=pts.drop(columns=["latitude", "longitude"]),
                        id="venues", get_position="position", get_fill_color="color",
                        get_radius=6, radius_units=pdk.types.String("pixels"), stroked=True,
                        get_line_color=[40, 40, 40], line_width_min_pixels=1, pickable=True)]
    if moved.any():
        layers.insert(0, pdk.Layer(
            "LineLayer", data=[dict(s=[a, b], t=p) for a, b, p in zip(
                pts.loc[moved, "longitude"], pts.loc[moved, "latitude"], pts.loc[moved, "position"])],
            id="venue_leaders", get_source_position="s", get_target_position="t",
            get_color=[60, 60, 60, 200], get_width=1, width_units=pdk.types.String("pixels")))
    if len(legs):
        at = {(round(float(a), 4), round(float(b), 4)): p for a, b, p in
              zip(pts["longitude"], pts["latitude"], pts["position"])}

        def drawn_at(pos):
            return at.get((round(float(pos[0]), 4), round(float(pos[1]), 4)), pos)
        lg = basemap.escape_html(legs, ["exhibition", "leg", "source_name", "target_name"])
        lg["tip_title"] = lg["exhibition"]
        lg["tip_body"] = "leg " + lg["leg"] + ": " + lg["source_name"] + " \u2192 " + lg["target_name"]
        lg["source_position"] = [drawn_at(p) for p in lg["source_position"]]
        lg["target_position"] = [drawn_at(p) for p in lg["target_position"]]
        layers.insert(0, pdk.Layer(
            "ArcLayer", data=lg, id="tours", get_source_position="source_position",
            get_target_position="target_position", get_source_color=[0, 114, 178, 200],
            get_target_color=[213, 94, 0, 200], get_width=3, get_height=0.4, pickable=True))
    labels = [dict(p=p, t=c, k=int(n)) for p, c, n in zip(pts["position"], pts["city"], pts["n"])]
    layers.append(basemap.label_layer(basemap.declutter(labels, zoom=view["zoom"]),
                                      layer_id="venue_labels"))
    return basemap.deck(layers, tooltip=TIP, view=view)


def visitors_figure(table: pd.DataFrame) -> go.Figure:
    """Visitors per day open, ranked; labels keep the qualifier ('over 215'). Tour totals are
    one bar for the tour, never a bar per venue."""
    t = table.dropna(subset=["per_day"])
    fig = go.Figure()
    if t.empty:
        fig.update_layout(title="No visitor figure with known days open")
        return fig
    t = t.iloc[::-1]
    labels = [text.html_text(f"{_cut(x, 45)} ({s})") for x, s in zip(t["title"], t["scope"])]
    fig.add_trace(go.Bar(
        y=labels, x=t["per_day"], orientation="h", text=t["per_day_text"] + " / day",
        textposition="auto", marker_color="#0072B2",
        hovertext=[f"<b>{html.escape(a)}</b><br>{html.escape(s)}<br>visitors: {html.escape(v)}"
                   f"<br>days open: {d}<br>per day: {html.escape(p)}<br>source: {html.escape(src)}"
                   for a, s, v, d, p, src in zip(t["title"], t["scope"], t["visitors_text"],
                                                 t["days_open"], t["per_day_text"], t["source"])],
        hoverinfo="text"))
    said = assumption_text(table)   # the assumption goes with the chart, into every export too
    fig.update_layout(title="Visitors per day open" + (f"<br><sup>{text.html_text(said)}</sup>"
                                                       if said else ""),
                      xaxis_title="visitors per day" + (f" ({said})" if said else ""),
                      height=140 + 50 * len(t), margin=dict(l=10, r=10, t=70 if said else 50, b=10))
    return fig


def _cut(title: str, width: int) -> str:
    """A title cut at a word boundary with an ellipsis ('A Passage to Asia: 25 Centuries of…'),
    never in the middle of a word."""
    title = str(title)
    if len(title) <= width:
        return title
    cut = title[:width].rsplit(" ", 1)[0].rstrip(" :,;-")
    return cut + "…"


def conferences_deck(meetings: pd.DataFrame) -> pdk.Deck:
    """Conference cities on the offline base map (colour: host region; tooltip: number, year,
    host, attendance as stated, notes on conflicts, source)."""
    m = conference_rows(meetings, kinds=("founding conference", "general conference",
                                         "workshop", "meeting"))
    m = m.dropna(subset=["latitude", "longitude"]).copy()
    m["year_text"] = m["year"].astype("Float64").astype("Int64").astype(str).replace("<NA>", "")
    esc = basemap.escape_html(m, ["label", "year_text", "city", "host", "title", "attendance",
                                  "notes", "source"])
    esc["tip_title"] = esc["label"] + " " + esc["year_text"]
    esc["tip_body"] = (esc["city"] + "\nhost: " + esc["host"] + "\ntheme: " + esc["title"]
                       + "\nattendance: " + esc["attendance"] + "\n" + esc["notes"]
                       + "\nsource: " + esc["source"])
    esc["color"] = [_rgb(REGION_HEX.get(r, REGION_HEX["other"])) + [210]
                    if k != "workshop" and k != "meeting" else [120, 120, 120, 180]
                    for r, k in zip(m["country_code"].map(_region), m["kind"])]
    esc["radius"] = [9 if k in ("general conference", "founding conference") else 5
                     for k in m["kind"]]
    layer = pdk.Layer("ScatterplotLayer", data=esc, id="conferences",
                      get_position=["longitude", "latitude"], get_fill_color="color",
                      get_radius="radius", radius_units=pdk.types.String("pixels"), stroked=True,
                      get_line_color=[30, 30, 30], line_width_min_pixels=1, pickable=True)
    return basemap.deck([layer], tooltip=TIP)


def _region(code) -> str:
    return country_region(code)


# --- institution-year series ---------------------------------------------------------------------
def _series_lines(df: pd.DataFrame, y: str, title: str, ytitle: str, *, fmt: str = ",.0f"
                  ) -> go.Figure:
    """One line per institution; NaN rows (years not reported) break the line."""
    fig = go.Figure()
    for i, (label, g) in enumerate(df.groupby("label", sort=False)):
        fig.add_trace(go.Scatter(
            x=g["year"], y=g[y], mode="lines+markers", name=label, connectgaps=False,
            **line_style(i),
            customdata=g[["source"]].fillna("year not reported").map(html.escape).to_numpy(),
            hovertemplate=f"<b>{html.escape(label)}</b><br>%{{x}}: %{{y:{fmt}}}"
                          "<br>source: %{customdata[0]}<extra></extra>"))
    fig.update_layout(title=title, yaxis_title=ytitle, xaxis_title=None, height=380,
                      margin=dict(l=10, r=10, t=50, b=10), hovermode="closest",
                      legend=dict(orientation="h", y=-0.15))
    return fig


def series_figure(df: pd.DataFrame) -> go.Figure:
    """Visitors per year for the chosen institutions (gaps stay gaps)."""
    return _series_lines(df, "visitors", "Visitors per year<br><sup>a break = year not reported</sup>",
                         "visitors")


def yoy_figure(df: pd.DataFrame) -> go.Figure:
    """Year-on-year change in percent, only between two consecutive reported years."""
    fig = _series_lines(df, "yoy_pct", "Year-on-year change, %<br><sup>not computed across a gap</sup>",
                        "change, %", fmt="+.1f")
    fig.add_hline(y=0, line_color="#999999", line_width=1)
    return fig


def rank_figure(df: pd.DataFrame) -> go.Figure:
    """Rank among the institutions in the filter that reported that year (1 = busiest)."""
    fig = _series_lines(df, "rank", "Rank per year<br><sup>among institutions reporting that year; "
                        "1 = most visitors</sup>", "rank", fmt=".0f")
    fig.update_yaxes(autorange="reversed")
    return fig


#: Paid/free panels: one per row, so an institution's name has the column's whole width.
PANEL_HEIGHT = 200
PANEL_GAP = 70  # px between panels: room for the next panel's title (two lines at most)
PANEL_TITLE_CHARS = 55  # a title wraps after about this many characters (half-page column)


def paid_free_figure(df: pd.DataFrame) -> go.Figure:
    """Paid and free visitors per year, stacked, one panel per institution that reports them.

    One panel per row with the institution's name above it, left-aligned and wrapped between
    words: side-by-side panels in a half-page column put two long names on top of each other."""
    d = df.dropna(subset=["paid", "free"], how="all")
    if d.empty:
        fig = go.Figure()
        fig.update_layout(title="No paid/free split reported for the chosen institutions",
                          height=200)
        return fig
    labels = list(dict.fromkeys(d["label"]))
    n = len(labels)
    top, bottom = 110, 40
    height = top + bottom + n * PANEL_HEIGHT + (n - 1) * PANEL_GAP
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True,
                        vertical_spacing=PANEL_GAP / (height - top - bottom) if n > 1 else 0)
    colours = {"paid": "#0072B2", "free": "#E69F00"}
    for row, label in enumerate(labels, start=1):
        g = d[d["label"] == label]
        for ticket in ("paid", "free"):
            fig.add_trace(go.Bar(x=g["year"], y=g[ticket], name=ticket, marker_color=colours[ticket],
                                 legendgroup=ticket, showlegend=row == 1,
                                 hovertemplate=f"<b>{text.html_text(label)}</b><br>%{{x}}: "
                                               f"%{{y:,.0f}} {ticket}<extra></extra>"),
                          row=row, col=1)
        fig.update_yaxes(title_text="visitors", rangemode="tozero", row=row, col=1)
        dom = fig.get_subplot(row, 1).yaxis.domain
        fig.add_annotation(text=wrap_label(label, PANEL_TITLE_CHARS, 2), x=0, xref="paper",
                           xanchor="left", y=dom[1], yref="paper", yanchor="bottom", yshift=4,
                           showarrow=False, align="left", font=dict(size=12, color="#333"))
    fig.update_layout(barmode="stack", height=height, margin=dict(l=10, r=10, t=top, b=bottom),
                      title=dict(text="Paid and free visitors<br><sup>only where the source "
                                      "splits them</sup>", y=1 - 20 / height, yanchor="top",
                                 yref="container"),
                      legend=dict(orientation="h", x=1, xanchor="right", y=1 - 60 / height,
                                  yanchor="top", yref="container", title_text=None))
    return fig


def group_totals_figure(df: pd.DataFrame, by: str = "country") -> go.Figure:
    """Total visitors per country (or region) and year; hover says how many institutions reported,
    because a total over fewer museums is not a fall in visitors."""
    fig = go.Figure()
    if df.empty:
        return fig
    for i, (grp, g) in enumerate(df.groupby("grp", sort=False)):
        style = line_style(i)
        if by == "region":
            style["line"]["color"] = REGION_HEX.get(grp, REGION_HEX["other"])
        fig.add_trace(go.Scatter(
            x=g["year"], y=g["visitors"], name=str(grp), mode="lines+markers", connectgaps=False,
            **style, customdata=g[["reporting"]].fillna(0).to_numpy(),
            hovertemplate=f"<b>{html.escape(str(grp))}</b><br>%{{x}}: %{{y:,.0f}} visitors"
                          "<br>%{customdata[0]} institutions reporting<extra></extra>"))
    what = "Visitors per year, all institutions in the filter" if by == "all" else \
        f"Visitors per {by} and year"
    fig.update_layout(title=f"{what}<br><sup>sum over the institutions "
                            "reporting that year (count in the hover)</sup>",
                      yaxis_title="visitors", height=380, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.15))
    return fig


# --- text summaries (read by screen readers under each chart) ------------------------------------
def _short(title: str) -> str:
    """'Self and Other: Portraits from Asia and Europe' -> 'Self and Other'."""
    return str(title).split(":", 1)[0].strip()


def _num(x) -> str:
    return f"{int(round(float(x))):,}"


def exhibition_timeline_sentence(bars: pd.DataFrame, undated: pd.DataFrame) -> str:
    """The Gantt chart in words: exhibitions drawn, their span and types, tours, partial dates
    and the undated ones listed below it."""
    ids = bars.drop_duplicates("exhibition_id") if len(bars) else bars
    total = len(ids) + len(undated)
    if not total:
        return "No exhibitions match the filters."
    if ids.empty:
        return f"No exhibition has dates to draw; {plural(total, 'exhibition')} listed below."
    last = (bars["finish"].max() - pd.Timedelta(days=1)).year
    types = ids["type"].value_counts()
    text = (f"{len(ids)} of {plural(total, 'exhibition')} drawn, {bars['start'].min().year} to "
            f"{last}: " + and_list(plural(n, t) for t, n in types.items()))
    tours = bars[bars["level"] == "venue"].groupby("exhibition_id").size()
    if len(tours):
        text += "; " + and_list(f"{_short(bars.loc[bars['exhibition_id'] == e, 'title'].iloc[0])} "
                                f"is shown with its {n} venues" for e, n in tours.items())
    partial = bars.loc[(bars["level"] == "exhibition") & (bars["note"] != ""), "exhibition_id"]
    if partial.nunique():
        n = partial.nunique()
        text += f". {n} {'is' if n == 1 else 'are'} dated only to the month (hatched)"
    if len(undated):
        text += f"; {len(undated)} with no dates {'is' if len(undated) == 1 else 'are'} listed below"
    return text + "."


def venues_sentence(stops: pd.DataFrame, legs: pd.DataFrame) -> str:
    """The venues map in words: venues, places, countries and the tours drawn as arcs."""
    if stops.empty:
        return "No venue with a known place."
    text = (f"{plural(int(stops['n'].sum()), 'venue')} at {plural(len(stops), 'place')} in "
            f"{plural(stops['country'].nunique(), 'country', 'countries')}")
    if len(legs):
        tours = legs["exhibition"].nunique()
        text += (f"; {plural(tours, 'touring exhibition')} drawn as {plural(len(legs), 'arc')} "
                 "in tour order")
    if "type" in stops.columns:  # the legend, in numbers: places per colour
        counts = stops["type"].fillna("type not stated").value_counts()
        text += "; places by exhibition type: " + ", ".join(f"{t} ({n})" for t, n in counts.items())
    return text + "."


def visitors_sentence(table: pd.DataFrame, limit: int = 3) -> str:
    """The visitors-per-day chart in words: 'Self and Other drew 60,000 visitors over five venues
    (about 245 a day open); A Passage to Asia over 20,000 (over 215 a day).' Qualifiers are kept;
    a rounded exact figure says 'about'."""
    if table.empty:
        return "No exhibition has a published visitor figure."
    ex = table[~table["scope"].str.startswith("venue")]
    parts = []
    for i, r in enumerate(ex.head(limit).itertuples()):
        venues = int(((table["title"] == r.title) & table["scope"].str.startswith("venue")).sum())
        where = f" over {number_text(venues)} venues" if r.scope.startswith("tour") else ""
        if pd.notna(r.per_day):
            exact = r.per_day_text == _num(r.per_day)
            day = f" ({'about ' if exact else ''}{r.per_day_text} a day{' open' if i == 0 else ''})"
        else:
            day = " (days open not known)"
        parts.append(f"{_short(r.title)}{' drew' if i == 0 else ''} {r.visitors_text}"
                     f"{' visitors' if i == 0 else ''}{where}{day}")
    more = len(ex) - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "") + "."


def conferences_map_sentence(meetings: pd.DataFrame) -> str:
    """The conference map in words: meetings drawn, places, host regions of the conferences."""
    m = conference_rows(meetings, kinds=("founding conference", "general conference",
                                         "workshop", "meeting"))
    placed = m.dropna(subset=["latitude", "longitude"])
    if placed.empty:
        return "No meeting with a known place."
    conf = placed[placed["kind"].isin(["founding conference", "general conference"])]
    regions = conf["country_code"].map(_region).value_counts()
    hosts = and_list(f"{n} in {r}" for r, n in regions.items())
    text = (f"{plural(len(placed), 'meeting')} at "
            f"{plural(len(placed.drop_duplicates(['latitude', 'longitude'])), 'place')}: "
            f"{plural(len(conf), 'founding or General Conference')}"
            + (f" ({hosts})" if len(conf) else "")
            + " and " + plural(len(placed) - len(conf), "workshop or other meeting",
                               "workshops or other meetings") + " (small, grey)")
    missing = len(m) - len(placed)
    if missing:
        text += f"; {missing} without a known place {'is' if missing == 1 else 'are'} not drawn"
    return text + "."


def series_sentence(df: pd.DataFrame) -> str:
    """Visitors per year in words: institutions, years, the highest figure and the gaps."""
    d = df.dropna(subset=["visitors"]) if len(df) else df
    if d.empty:
        return "No visitor figures for the chosen institutions."
    top = d.loc[d["visitors"].idxmax()]
    gaps = int(df["visitors"].isna().sum())
    return (f"{plural(d['label'].nunique(), 'institution')}, {int(d['year'].min())} to "
            f"{int(d['year'].max())}; the highest yearly figure is {top['label']}'s "
            f"{_num(top['visitors'])} ({int(top['year'])})"
            + (f"; {plural(gaps, 'year')} not reported {'is a gap' if gaps == 1 else 'are gaps'}"
               if gaps else "") + ".")


def yoy_sentence(df: pd.DataFrame) -> str:
    """Year-on-year change in words: the largest rise and the largest fall."""
    d = df.dropna(subset=["yoy_pct"]) if len(df) else df
    if d.empty:
        return "No year-on-year change: no two consecutive reported years."
    parts = []
    hi, lo = d.loc[d["yoy_pct"].idxmax()], d.loc[d["yoy_pct"].idxmin()]
    if hi["yoy_pct"] > 0:
        parts.append(f"largest rise {hi['label']} {hi['yoy_pct']:+.1f}% ({int(hi['year'])})")
    if lo["yoy_pct"] < 0:
        parts.append(f"largest fall {lo['label']} {lo['yoy_pct']:+.1f}% ({int(lo['year'])})")
    text = "; ".join(parts) or "no change between consecutive reported years"
    return text[0].upper() + text[1:] + "."


def rank_sentence(df: pd.DataFrame) -> str:
    """Ranks in words: the chosen institutions' ranks in the latest year with a rank."""
    d = df.dropna(subset=["rank"]) if len(df) else df
    if d.empty:
        return "No ranks: no reported years."
    year = int(d["year"].max())
    y = d[d["year"] == year].sort_values("rank")
    return (f"In {year}, among {_num(y['reporting'].max())} institutions reporting: "
            + and_list(f"{r.label} ranked {int(r.rank)}" for r in y.itertuples()) + ".")


def paid_free_sentence(df: pd.DataFrame) -> str:
    """Paid and free visitors in words: who reports a split, and the latest split of each."""
    d = df.dropna(subset=["paid", "free"], how="all") if len(df) else df
    if d.empty:
        return "No paid/free split reported for the chosen institutions."
    latest = d.sort_values("year").groupby("label", sort=False).tail(1)

    def fig(v):
        return "not reported" if pd.isna(v) else _num(v)
    return (f"Split reported by {d['label'].nunique()} of {df['label'].nunique()} institutions; "
            "latest: " + "; ".join(f"{r.label} {int(r.year)}: {fig(r.paid)} paid, {fig(r.free)} free"
                                   for r in latest.itertuples()) + ".")


def group_totals_sentence(df: pd.DataFrame, by: str = "country", limit: int = 3) -> str:
    """Totals per country (or region) in words: the latest year's largest totals, with how many
    institutions reported."""
    d = df.dropna(subset=["visitors"]) if len(df) else df
    if d.empty:
        return f"No visitor totals per {by} for the filters."
    year = int(d["year"].max())
    y = d[d["year"] == year].sort_values("visitors", ascending=False)
    parts = [f"{r.grp} {_num(r.visitors)} ({int(r.reporting)} reporting)"
             for r in y.head(limit).itertuples()]
    more = len(y) - len(parts)
    if by == "all":
        r = d.loc[d["year"].idxmax()]
        return (f"{int(d['year'].min())} to {year}. In {year}: {_num(r.visitors)} visitors over "
                f"{int(r.reporting)} reporting institutions.")
    return (f"{d['grp'].nunique()} {'regions' if by == 'region' else 'countries'}, "
            f"{int(d['year'].min())} to {year}. In {year}: " + "; ".join(parts)
            + (f"; and {more} more" if more > 0 else "") + ".")
