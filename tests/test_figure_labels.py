"""Labels people can read: figure-level checks that titles and labels do not sit on top of each
other or run off the figure (the browser test checks the drawn boxes too)."""
from __future__ import annotations

import pandas as pd
import pytest

from asemus_data.figures import exhibitions as fx

LINE_PX = 16  # a 12 px annotation line, with leading


def _paper_to_px(fig, y: float) -> float:
    """Pixels from the figure's top for a paper y (0 bottom, 1 top of the plot area)."""
    h, m = fig.layout.height, fig.layout.margin
    return m.t + (1 - y) * (h - m.t - m.b)


def _series(labels: list[str]) -> pd.DataFrame:
    rows = [dict(label=lab, year=y, visitors=100.0, paid=60.0, free=40.0)
            for lab in labels for y in (2010, 2011, 2012)]
    return pd.DataFrame(rows)


LONG = ["Musée du Quai Branly - Jacques Chirac, Paris (FRA)",
        "Musée national des Arts asiatiques Guimet, établissement public, Paris (FRA)",
        "National Museum of Korea, Seoul (KOR)", "Musée des Confluences, Lyon (FRA)"]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_paid_free_titles_do_not_overlap(n):
    """Each institution's title sits in the gap above its own panel: below the legend or the
    panel above, never across another title (side-by-side facets put two long names on top of
    each other in a half-page column)."""
    fig = fx.paid_free_figure(_series(LONG[:n]))
    notes = sorted(fig.layout.annotations, key=lambda a: -a.y)
    assert len(notes) == n
    boxes = []
    for a in notes:
        assert a.xanchor == "left" and a.x == 0 and a.yanchor == "bottom"
        lines = a.text.count("<br>") + 1
        assert lines <= 2 and all(len(part) <= fx.PANEL_TITLE_CHARS + 5
                                  for part in a.text.split("<br>"))
        bottom = _paper_to_px(fig, a.y) - (a.yshift or 0)
        boxes.append((bottom - lines * LINE_PX, bottom))
    # the panels, top to bottom, in px
    axes = sorted((fig.layout[k].domain for k in fig.layout if k.startswith("yaxis")),
                  key=lambda d: -d[1])
    panels = [(_paper_to_px(fig, d[1]), _paper_to_px(fig, d[0])) for d in axes]
    legend_bottom = (1 - fig.layout.legend.y) * fig.layout.height + 20
    assert boxes[0][0] >= legend_bottom, "the first title runs into the legend"
    for i in range(1, n):
        assert boxes[i][0] >= panels[i - 1][1], f"title {i + 1} runs into the panel above"
        assert boxes[i][0] >= boxes[i - 1][1], "two titles overlap"
    for (_top, bottom), (ptop, _) in zip(boxes, panels):
        assert bottom <= ptop + 1, "a title sits inside its panel"


def test_paid_free_one_legend_entry_per_ticket():
    fig = fx.paid_free_figure(_series(LONG[:3]))
    shown = [t.name for t in fig.data if t.showlegend is not False]
    assert shown == ["paid", "free"]
    assert fig.layout.barmode == "stack"
