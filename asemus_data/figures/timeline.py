"""The network over time: membership counts, General Conferences and the Executive Committee.

Pure plotly builders (no Streamlit, no I/O) so the Overview page can reuse them. Every mark carries
its source in the hover; qualified numbers keep their qualifier ("over 70").
"""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..exhibitions import DRAWABLE_YEARS, fmt_figure, qualifier_word
from ..overview import and_list, conflict_years, plural, when_text

#: Okabe-Ito, like basemap.REGION_COLORS (colour-blind safe).
REGION_HEX = {"Asia": "#D55E00", "Europe": "#0072B2", "other": "#777777", "not stated": "#BBBBBB"}
#: Okabe-Ito; yellow last (weakest on white). Sources also differ by marker symbol, a second
#: channel that still tells them apart when there are more sources than colours.
SOURCE_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
                  "#F0E442"]
SOURCE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "pentagon", "hexagon",
                  "triangle-down", "star", "hourglass", "cross"]


def _esc(v) -> str:
    return "" if v is None or v != v or v is pd.NA else html.escape(str(v))


def _short_source(url: str) -> str:
    """The host of a URL (what a reader recognises), or the citation itself."""
    s = str(url or "")
    if "://" in s:
        s = s.split("://", 1)[1]
    return s.split("/", 1)[0].removeprefix("www.") or "source not stated"


def membership_date(counts: pd.DataFrame) -> pd.Series:
    """A plotting date per count: mid-month when the month is stated, mid-year otherwise
    (the hover keeps the date as stated). NaT where the stored year or month cannot be drawn
    (year 0, month 13: refused at import, but a store may hold them)."""
    month = pd.to_numeric(counts["month"], errors="coerce")
    month = month.where(month.between(1, 12))
    year = pd.to_numeric(counts["year"], errors="coerce")
    return pd.to_datetime(
        {"year": year.where(year.between(*DRAWABLE_YEARS)),
         "month": month.fillna(7),
         "day": month.isna().map({True: 1, False: 15})}, errors="coerce")


#: The geometry the label placement assumes: plot area in pixels, text size per character.
PLOT_PX = (640, 340)  # the chart beside its legend at 1440 px, sidebar open
CHAR_PX, LINE_PX, GAP_PX = 7.0, 16.0, 7.0
_SPOTS = ("top center", "bottom center", "middle right", "middle left", "top right", "top left",
          "bottom right", "bottom left")


def _text_box(x, y, text, spot, sx, sy):
    """The box (x0, x1, y0, y1), in pixels, of ``text`` drawn at ``spot`` beside point (x, y)."""
    w, h = len(text) * CHAR_PX, LINE_PX
    px, py = x * sx, y * sy
    cx = px + {"center": 0, "right": GAP_PX + w / 2, "left": -GAP_PX - w / 2}[spot.split()[1]]
    cy = py + {"top": GAP_PX + h / 2, "bottom": -GAP_PX - h / 2, "middle": 0}[spot.split()[0]]
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def label_spots(days, values, texts) -> tuple[list[str], list[str]]:
    """Where to put each point's label so that no two labels overlap (nor a label a marker), and
    the text to draw: a label repeating one already drawn on (almost) the same spot is drawn once
    (two sources giving 78 in Oct 2011). Greedy, in the order given; a label with no free spot
    keeps 'top center'. ``days`` and ``values`` are the point's x (days) and y."""
    days, values = [float(d) for d in days], [float(v) for v in values]
    span_x = (max(days) - min(days)) or 1.0
    span_y = max(max(values), 1.0) * 1.1  # the y axis starts at zero
    sx, sy = PLOT_PX[0] / span_x, PLOT_PX[1] / span_y
    markers = [(d * sx - 6, d * sx + 6, v * sy - 6, v * sy + 6) for d, v in zip(days, values)]
    placed, spots, shown = [], [], []  # placed: (box, x px, y px, text) of labels drawn
    for d, v, t in zip(days, values, map(str, texts)):
        if any(pt == t and abs(px - d * sx) < 12 and abs(py - v * sy) < 12
               for _, px, py, pt in placed):
            spots.append("top center")
            shown.append("")
            continue
        free = (s for s in _SPOTS
                if not any(_overlap(_text_box(d, v, t, s, sx, sy), b) for b, *_ in placed)
                and not any(_overlap(_text_box(d, v, t, s, sx, sy), m) for m in markers))
        spot = next(free, "top center")
        placed.append((_text_box(d, v, t, spot, sx, sy), d * sx, v * sy, t))
        spots.append(spot)
        shown.append(t)
    return spots, shown


def membership_figure(counts_df: pd.DataFrame) -> go.Figure:
    """Stated ASEMUS membership totals over time, one marker series per source site.

    Parameters
    ----------
    counts_df : the ``membership_counts`` table (date_text, year, month, total, qualifier,
        qualifier_text, note, countries, source).

    Every stated figure is a point; the label keeps its qualifier ("over 70"); points from
    different sources are drawn in different colours and marker symbols, so conflicting statements (the
    2012 counts: 82 -> 97 from ASEF, 84 from the press) are both visible and told apart. A thin
    grey line links the points in date order only as a guide to the eye. Figures that are lower
    bounds ('over', 'at least') are drawn with an open symbol.
    """
    df = counts_df.copy()
    fig = go.Figure()
    if df.empty:
        fig.update_layout(title="Membership: no counts")
        return fig
    df["when"] = membership_date(df)
    skipped = int(df["when"].isna().sum())
    df = df.dropna(subset=["when"]).sort_values("when")
    if skipped:
        fig.add_annotation(text=f"{skipped} count(s) with a year that cannot be drawn: not shown",
                           xref="paper", yref="paper", x=0, y=1.08, showarrow=False,
                           font={"size": 11, "color": "#777777"})
    df["label"] = [fmt_figure(t, q) for t, q in zip(df["total"], df["qualifier"])]
    df["site"] = df["source"].map(_short_source)
    days = (df["when"] - df["when"].min()).dt.days
    df["spot"], df["shown"] = label_spots(days, df["total"], df["label"])
    fig.add_trace(go.Scatter(x=df["when"], y=df["total"], mode="lines", hoverinfo="skip",
                             line=dict(color="#CCCCCC", width=1, dash="dot"), showlegend=False))
    for i, (site, g) in enumerate(df.groupby("site", sort=False)):
        lower = g["qualifier"].map(qualifier_word).isin(["over", "at least"])
        shape = SOURCE_SYMBOLS[i % len(SOURCE_SYMBOLS)]
        symbols = [f"{shape}-open" if lb else shape for lb in lower]
        hover = [f"<b>{_esc(lab)} members</b><br>date: {_esc(d)}"
                 + (f"<br>{_esc(c)} countries" if pd.notna(c) else "")
                 + (f"<br>as worded: {_esc(qt)}" if pd.notna(qt) and qt != "exact as stated" else "")
                 + (f"<br>note: {_esc(n)}" if pd.notna(n) else "")
                 + f"<br>source: {_esc(s)}"
                 for lab, d, c, qt, n, s in zip(g["label"], g["date_text"], g["countries"],
                                                g["qualifier_text"], g["note"], g["source"])]
        fig.add_trace(go.Scatter(
            x=g["when"], y=g["total"], mode="markers+text", name=site, text=g["shown"],
            textposition=list(g["spot"]), hovertext=hover, hoverinfo="text",
            marker=dict(size=11, symbol=symbols, color=SOURCE_PALETTE[i % len(SOURCE_PALETTE)],
                        line=dict(width=2))))
    fig.update_layout(
        title="ASEMUS members as stated by each source<br><sup>open marker: 'over' (a lower "
              "bound) · colour and symbol: the source's site · hover for the wording</sup>",
        yaxis_title="members (total as stated)", xaxis_title=None, legend_title="source",
        height=430, margin=dict(l=10, r=10, t=50, b=10), hovermode="closest")
    fig.update_yaxes(rangemode="tozero")
    return fig


def conference_label(row) -> str:
    """'5th General Conference' / 'General Conference (not numbered)' / 'Founding conference'."""
    kind = str(row.get("kind", ""))
    num = row.get("number")
    if kind == "general conference":
        if pd.notna(num):
            n = int(num)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            return f"{n}{suffix} General Conference"
        return "General Conference (not numbered in sources)"
    return kind.capitalize()


def conference_marker(number, kind: str, city: str, conflict: bool) -> str:
    """The words beside a conference on the time line: '#4 Paris', 'Manila (no number in the
    sources)', 'Stockholm (founding)'; 'conflicting sources' on a second line where the sources
    disagree (the hover says on what)."""
    if pd.notna(number):
        text = f"#{int(number)} {city}"
    elif kind == "general conference":
        text = f"{city}<br>(no number in the sources)"
    else:
        text = f"{city} ({kind.split()[0]})"
    return text + ("<br><i>conflicting sources</i>" if conflict else "")


def conference_rows(meetings_df: pd.DataFrame, kinds=("founding conference", "general conference")
                    ) -> pd.DataFrame:
    """Conferences with a display label, attendance with qualifier and a plotting date.
    Undated rows are dropped here (list them separately: they have no place on a time axis)."""
    m = meetings_df[meetings_df["kind"].isin(kinds)].copy()
    m["label"] = [conference_label(r) for r in m.to_dict("records")]
    m["attendance"] = [
        (t if pd.notna(t) else fmt_figure(p, q)) if pd.notna(p) or pd.notna(t) else "not stated"
        for p, q, t in zip(m["participants"], m["participants_qualifier"], m["participants_text"])]
    start = pd.to_datetime(m["start_date"].fillna("").str.slice(0, 10).map(
        lambda s: s + "-15" if len(s) == 7 else (s + "-07-01" if len(s) == 4 else s)),
        errors="coerce")
    m["when"] = start.fillna(pd.to_datetime(m["year"].astype("Float64").astype("Int64")
                                            .astype(str) + "-07-01", errors="coerce"))
    # A stored year no axis should hold (0000, 9999) is left undated rather than drawn.
    m["when"] = m["when"].where(m["when"].dt.year.between(*DRAWABLE_YEARS))
    return m.sort_values("when")


def conferences_timeline(meetings_df: pd.DataFrame) -> go.Figure:
    """The founding and General Conferences on a time axis: number, year, city, host, theme and
    attendance (with its qualifier) in the hover; the notes (e.g. Paris 2010 numbered '4th' by one
    source and 'the Network's 10th' by another; Kuching 2018 'over 250' vs 'over 200') shown too.

    Parameters
    ----------
    meetings_df : the ``meetings`` table (any kinds; founding and general conferences are drawn).

    Marker size follows the stated attendance where there is one (a fixed small size where none
    is stated, drawn open); a conference whose sources conflict is marked with a '!'.
    """
    m = conference_rows(meetings_df).dropna(subset=["when"])
    fig = go.Figure()
    if m.empty:
        fig.update_layout(title="Conferences: none dated")
        return fig
    conflict = m["notes"].fillna("").str.contains(r"calls it|conflict|/ ", regex=True) | \
        m["participants_text"].fillna("").str.contains(" / ", regex=False)
    size = m["participants"].astype("Float64").fillna(0).astype(float)
    hover = [f"<b>{_esc(lab)}</b> ({_esc(y)})<br>{_esc(c)}, {_esc(co)}<br>host: {_esc(h)}"
             f"<br>theme: {_esc(t)}<br>attendance: {_esc(a)}"
             + (f"<br>note: {_esc(n)}" if pd.notna(n) else "")
             + f"<br>source: {_esc(s)}"
             for lab, y, c, co, h, t, a, n, s in zip(
                 m["label"], m["year"], m["city"], m["country"], m["host"], m["title"],
                 m["attendance"], m["notes"], m["source"])]
    text = [conference_marker(n, k, c, cf)
            for n, k, c, cf in zip(m["number"], m["kind"], m["city"], conflict)]
    fig.add_trace(go.Scatter(
        x=m["when"], y=[1] * len(m), mode="markers+text", text=text,
        textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(m))],
        hovertext=hover, hoverinfo="text", showlegend=False,
        marker=dict(size=[10 + (s ** 0.5) * 1.2 if s > 0 else 12 for s in size],
                    symbol=[("star" if k == "founding conference" else "circle")
                            + ("" if s > 0 else "-open") for k, s in zip(m["kind"], size)],
                    color=[REGION_HEX.get(r, REGION_HEX["other"]) for r in
                           m["country_code"].map(_region)],
                    line=dict(width=1.5, color="#333333"))))
    fig.update_yaxes(visible=False, range=[0.45, 1.6])  # room for two-line labels
    fig.update_layout(
        title="Founding and General Conferences<br><sup>size: stated attendance (open: not "
              "stated) · colour: host region, vermillion Asia / blue Europe · hover a "
              "conference for its sources</sup>",
        height=340, margin=dict(l=10, r=10, t=60, b=10), xaxis_title=None)
    pad = pd.Timedelta(days=900)  # room for the labels of the first and last conference
    fig.update_xaxes(range=[m["when"].min() - pad, m["when"].max() + pad])
    return fig


def _region(code) -> str:
    # geo loads pycountry's tables: only when a venue's region is drawn
    from ..geo import country_region
    return country_region(code)


def committee_figure(terms: pd.DataFrame) -> go.Figure:
    """Executive Committee chairs and vice-chairs over time (from exhibitions.committee_terms):
    bars for terms, diamonds for a role attested at one meeting; colour = region of the person's
    institution, which shows the Asia/Europe alternation of the chair."""
    fig = go.Figure()
    if terms.empty:
        fig.update_layout(title="Executive Committee: no chairs recorded")
        return fig
    order = ["Chair", "Vice-Chair", "Deputy Chair"]
    shown = set()
    for r in terms.itertuples():
        colour = REGION_HEX.get(r.region, REGION_HEX["not stated"])
        legend = r.region not in shown
        shown.add(r.region)
        hover = (f"<b>{_esc(r.name)}</b>, {_esc(r.role_as_stated)}<br>{_esc(r.institution)} "
                 f"({_esc(r.region)})<br>period as stated: {_esc(r.period_text)}"
                 + ("<br>end not stated: drawn to the last meeting where the role is attested"
                    if r.open_end else "")
                 + f"<br>source: {_esc(r.source)}")
        if r.kind == "term":
            fig.add_trace(go.Bar(
                y=[r.role], x=[(r.finish - r.start).total_seconds() * 1000 + 86_400_000],
                base=[r.start], orientation="h", marker_color=colour, opacity=0.85,
                marker_line=dict(width=1, color="white"),
                marker_pattern_shape="/" if r.open_end else "", text=[_esc(r.name)],
                textposition="inside", insidetextanchor="middle", hovertext=[hover],
                hoverinfo="text", name=r.region, legendgroup=r.region, showlegend=legend))
        else:
            fig.add_trace(go.Scatter(
                y=[r.role], x=[r.start], mode="markers", hovertext=[hover], hoverinfo="text",
                marker=dict(symbol="diamond", size=10, color=colour, line=dict(width=1,
                                                                               color="black")),
                name=r.region, legendgroup=r.region, showlegend=legend))
    fig.update_layout(
        barmode="overlay", height=300, margin=dict(l=10, r=10, t=50, b=10),
        title="Executive Committee chairs and vice-chairs<br><sup>colour: region of their "
              "institution · diamond: attested at a meeting · hatched: end not stated</sup>",
        legend_title="region", xaxis=dict(type="date"))
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return fig


# --- text summaries (read by screen readers under each chart) ------------------------------------
def membership_sentence(counts_df: pd.DataFrame) -> str:
    """The membership chart in words: 'Stated membership grew from over 70 (Feb 2006) to over 140
    (Mar 2017); sources disagree for 2012.' Qualifiers are kept; nothing is interpolated."""
    df = counts_df.dropna(subset=["total"])
    if df.empty:
        return "No stated membership counts."
    df = df.assign(_m=df["month"].astype("Float64").fillna(6)).sort_values(["year", "_m"])
    first, last = df.iloc[0], df.iloc[-1]
    a, b = fmt_figure(first["total"], first["qualifier"]), fmt_figure(last["total"], last["qualifier"])
    if len(df) == 1:
        text = f"One stated membership total: {a} ({when_text(first)})"
    else:
        verb = ("grew" if last["total"] > first["total"] else
                "fell" if last["total"] < first["total"] else "was stated")
        text = (f"Stated membership {verb} from {a} ({when_text(first)}) to {b} "
                f"({when_text(last)}) in {len(df)} statements")
    years = conflict_years(df)
    if years:
        text += "; sources disagree for " + ", ".join(str(y) for y in years)
    return text + "."


def conferences_sentence(meetings_df: pd.DataFrame) -> str:
    """The conferences timeline in words: how many, first and last, host regions, the largest
    stated attendance (with its qualifier) and how many state none."""
    m = conference_rows(meetings_df).dropna(subset=["when"])
    if m.empty:
        return "No dated conferences."
    first, last = m.iloc[0], m.iloc[-1]
    regions = m["country_code"].map(_region).value_counts()
    hosts = [f"{int(regions[r])} in {r}" for r in ("Asia", "Europe") if r in regions]
    other = int(len(m) - sum(int(regions.get(r, 0)) for r in ("Asia", "Europe")))
    hosts += [f"{other} elsewhere"] if other else []
    text = (f"{len(m)} conference{'' if len(m) == 1 else 's'} from {first['city']} "
            f"({int(first['year'])}) to {last['city']} ({int(last['year'])}), hosted "
            f"{and_list(hosts)}")
    stated = m.dropna(subset=["participants"])
    if len(stated):
        top = stated.loc[stated["participants"].astype(float).idxmax()]
        figure = fmt_figure(top["participants"], top["participants_qualifier"])
        text += f"; the largest stated attendance is {figure} ({top['city']} {int(top['year'])})"
    if len(stated) < len(m):
        text += f"; attendance is not stated for {len(m) - len(stated)}"
    return text + "."


def committee_sentence(terms: pd.DataFrame) -> str:
    """The Executive Committee chart in words: chair terms in order with the region of the chair's
    institution, then the other terms and single-meeting attestations."""
    if terms.empty:
        return "No Executive Committee chairs recorded."
    t = terms[terms["kind"] == "term"]
    chairs = t[t["role"] == "Chair"].sort_values("start")
    parts = []
    if len(chairs):
        last = chairs.iloc[-1]
        counts = chairs["region"].value_counts()
        parts.append(
            f"{plural(len(chairs), 'chair term')} from {chairs['start'].min().year} to "
            f"{'at least ' if bool(last['open_end']) else ''}{chairs['finish'].max().year}, the "
            f"chair's institution in {', '.join(chairs['region'])} in turn ("
            + ", ".join(f"{n} {r}" for r, n in counts.items()) + ")")
    else:
        parts.append("No chair terms")
    parts.append(f"{plural(len(t) - len(chairs), 'vice- or deputy-chair term')} and "
                 f"{plural(int((terms['kind'] == 'attested').sum()), 'role')} attested at single meetings")
    return "; ".join(parts) + "."
