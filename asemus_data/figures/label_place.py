"""Label placement for scatter drawings (the network graphs): a label goes beside its point
where it overlaps no other label, no other marker and does not run off the plot; a label that
fits nowhere is dropped (the hover still names the point). Pure functions, no plotly.

Positions use plotly's own rule for ``textposition`` next to a marker (``Drawing.
textPointPosition`` in plotly.js): the text sits ``r = size / 2 / 0.8 + 1`` px from the point's
centre, baseline ``0.25 * font`` above (top) or ``r + 0.75 * font`` below (bottom) it. Text
widths are Liberation Sans / Arial advance widths (the font the labels ask for; fonts-liberation
ships it), so a box here is the box the browser draws, within a pixel or two (``PAD``).

The plot's height in pixels is known (the figure's height less its margins); its width is not
(the page's column decides it), so boxes are laid out for a *narrow* plot (``plot_width``): a
wider plot only moves the points further apart, never two labels closer together.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

#: Font the labels are drawn in (pass it to plotly's textfont), and the widths below are for.
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
#: Extra pixels kept free around every label box.
PAD = 2.0

# Advance widths of Arial / Liberation Sans (units of 1/1000 em), printable ASCII from ' '.
_ASCII = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
          556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
          1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
          667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
          333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
          556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]


def _char_width(ch: str) -> int:
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII[code - 32]
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1000  # CJK: a full em
    base = unicodedata.normalize("NFD", ch)[0]  # é -> e
    if 32 <= ord(base) < 127:
        return _ASCII[ord(base) - 32]
    return 600


def text_width(text: str, size: float) -> float:
    """Width in px of ``text`` in ``FONT_FAMILY`` at ``size`` px."""
    return sum(_char_width(c) for c in str(text)) * size / 1000


#: Candidate places for a label, in plotly's ``textposition`` words.
POSITIONS = ("top center", "bottom center", "middle right", "middle left",
             "top right", "top left", "bottom right", "bottom left")


def label_box(px: float, py: float, marker: float, text: str, font: float,
              position: str) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1; px, y down) of ``text`` drawn at ``position`` next to a marker of
    diameter ``marker`` px centred at (px, py), as plotly.js places it."""
    r = marker / 2 / 0.8 + 1 if marker else 0.0
    w = text_width(text, font)
    v = "top" if "top" in position else "bottom" if "bottom" in position else "middle"
    h = "left" if "left" in position else "right" if "right" in position else "center"
    x0 = px - w / 2 if h == "center" else (px + r if h == "right" else px - r - w)
    sign = {"top": -1, "bottom": 1, "middle": 0}[v]
    baseline = py + font * 0.75 + sign * r + (sign - 1) * font / 2
    return (x0, baseline - 0.95 * font, x0 + w, baseline + 0.25 * font)


def overlaps(a, b, pad: float = 0.0) -> bool:
    """Whether two boxes (x0, y0, x1, y1) intersect (with ``pad`` px kept free between them)."""
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or
                b[3] + pad <= a[1])


@dataclass(frozen=True)
class Point:
    """One point of the drawing: data coordinates, marker diameter (px), label text ('' none)."""
    id: str
    x: float
    y: float
    marker: float
    text: str = ""


@dataclass(frozen=True)
class Frame:
    """The plot area: data ranges and its size in px (``width`` the narrowest expected)."""
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    width: float
    height: float

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return ((x - x0) / ((x1 - x0) or 1) * self.width,
                (y1 - y) / ((y1 - y0) or 1) * self.height)


def frame_for(points: list[Point], width: float, height: float, *, margin: float = 0.04
              ) -> Frame:
    """Data ranges that hold every point with ``margin`` (share of the span) on each side."""
    xs, ys = [p.x for p in points] or [0.0], [p.y for p in points] or [0.0]
    dx, dy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return Frame((min(xs) - margin * dx, max(xs) + margin * dx),
                 (min(ys) - margin * dy, max(ys) + margin * dy), width, height)


def _order(px: float, py: float, frame: Frame, positions) -> list[str]:
    """Candidate positions, those pointing away from the plot's centre first (labels spread
    outwards, where there is room)."""
    cx, cy = frame.width / 2, frame.height / 2
    dx, dy = px - cx, py - cy

    def away(pos: str) -> float:
        ux = 1 if "right" in pos else -1 if "left" in pos else 0
        uy = -1 if "top" in pos else 1 if "bottom" in pos else 0
        return -(ux * dx + uy * dy) / (abs(ux) + abs(uy)) ** 0.5
    return sorted(positions, key=lambda p: (away(p), positions.index(p)))


def place_labels(points: list[Point], frame: Frame, *, font: float = 11, limit: int | None = None,
                 positions=POSITIONS, outward: bool = True) -> dict[str, str]:
    """Where to draw each label: ``{id: textposition}`` for the labels that fit.

    ``points`` come in priority order (the most important first); only those with a text are
    labelled, at most ``limit`` of them. A label goes at the first candidate position where its
    box lies inside the plot, clear of every placed label and of every marker (its own too);
    failing that, clear of labels only (covering a marker beats dropping a name); failing that,
    it is dropped."""
    boxes: list[tuple] = []
    xy = np.array([frame.to_px(p.x, p.y) for p in points], dtype=float).reshape(-1, 2)
    r = np.array([p.marker / 2 for p in points], dtype=float)
    marks = np.column_stack([xy[:, 0] - r, xy[:, 1] - r, xy[:, 0] + r, xy[:, 1] + r])

    def on_marker(b) -> bool:
        return bool(np.any((marks[:, 0] < b[2]) & (b[0] < marks[:, 2]) &
                           (marks[:, 1] < b[3]) & (b[1] < marks[:, 3])))
    placed: dict[str, str] = {}
    for _i, p in enumerate(points):
        if not p.text or (limit is not None and len(placed) >= limit):
            continue
        px, py = frame.to_px(p.x, p.y)
        order = _order(px, py, frame, list(positions)) if outward else list(positions)
        chosen = fallback = None
        for pos in order:
            b = label_box(px, py, p.marker, p.text, font, pos)
            if b[0] < PAD or b[1] < PAD or b[2] > frame.width - PAD or b[3] > frame.height - PAD:
                continue  # off the plot: cut at its edge
            if any(overlaps(b, o, PAD) for o in boxes):
                continue
            fallback = fallback or (pos, b)
            if not on_marker(b):
                chosen = (pos, b)
                break
        if (chosen or fallback) is None:
            continue
        pos, b = chosen or fallback
        placed[p.id] = pos
        boxes.append(b)
    return placed


def placed_boxes(points: list[Point], frame: Frame, placed: dict[str, str], font: float = 11
                 ) -> dict[str, tuple]:
    """The box of every placed label (for tests and for checks in the browser)."""
    out = {}
    for p in points:
        if p.id in placed:
            px, py = frame.to_px(p.x, p.y)
            out[p.id] = label_box(px, py, p.marker, p.text, font, placed[p.id])
    return out
