"""Chart series from CSV (Our World in Data layout) and the draw-in a visitor watches."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from kiosk.bench import DEFAULT_PALETTE
from kiosk.content.model import ChartScreen, CsvSeries, Palette
from kiosk.flow.series import SeriesError, read_csv_series, visible_count

PALETTE = Palette.model_validate(DEFAULT_PALETTE)  # the bench's palette: one dark test theme


@pytest.fixture
def owid(tmp_path: Path) -> Path:
    """A slice of OWID co2-data: country, year, iso_code, co2 (MtCO2), with blanks like the real file."""
    path = tmp_path / "owid-co2-data.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["country", "year", "iso_code", "population", "co2", "cement_co2"])
        for year in range(1990, 2000):
            w.writerow(["World", year, "", 5e9, 22000 + 100 * (year - 1990), 1000])
            w.writerow(["Germany", year, "DEU", 8e7, 1000 - (year - 1990), 30])
        w.writerow(["World", 2000, "", 6e9, "", 1200])  # blank co2: skipped
        w.writerow(["World", 1989, "", 5e9, 21900, 990])  # out of order: sorted
    return path


def test_csv_series_with_a_where_filter_and_multiply(owid: Path) -> None:
    spec = CsvSeries(path=owid.name, x="year", y="co2", where={"country": "World"}, multiply=0.001)
    x, y = read_csv_series(spec, owid.parent)
    assert x.tolist() == list(range(1989, 2000))
    assert y[0] == pytest.approx(21.9)
    assert y[-1] == pytest.approx(22.9)
    de = read_csv_series(CsvSeries(path=owid.name, x="year", y="co2", where={"iso_code": "DEU"}), owid.parent)
    assert len(de[0]) == 10 and de[1][0] == 1000


def test_csv_series_errors_name_the_file_and_column(owid: Path) -> None:
    with pytest.raises(SeriesError, match="no column 'co3'"):
        read_csv_series(CsvSeries(path=owid.name, x="year", y="co3"), owid.parent)
    with pytest.raises(SeriesError, match="missing.csv"):
        read_csv_series(CsvSeries(path="missing.csv", x="year", y="co2"), owid.parent)


def test_visible_count_grows_to_all_points() -> None:
    assert visible_count(11, 0.0) == (1, 0.0)
    assert visible_count(11, 0.55)[0] == 6
    assert visible_count(11, 1.0) == (11, 0.0)


def chart_screen(draw_in_s: float = 2.0) -> ChartScreen:
    return ChartScreen.model_validate(
        {
            "type": "chart",
            "id": "emissions",
            "title": {"en": "Emissions"},
            "lead": {"en": "They grew"},
            "x_label": {"en": "Year", "de": "Jahr"},
            "y_label": {"en": "GtCO2 per year", "de": "GtCO2 pro Jahr"},
            "draw_in_s": draw_in_s,
            "series": [
                {"label": {"en": "World", "de": "Welt"},
                 "csv": {"path": "owid-co2-data.csv", "x": "year", "y": "co2", "where": {"country": "World"},
                         "multiply": 0.001}},
                {"label": {"en": "Removal needed"}, "style": "bar", "points": [[1992, 2.0], [1996, 8.0]]},
            ],
        }
    )


@pytest.fixture
def clock(qapp):
    from kiosk.ui.clock import AnimationClock

    return AnimationClock()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_chart_draws_itself_in_over_time(qtbot, clock, owid: Path) -> None:
    from kiosk.ui.widgets.chart_view import ChartView

    view = ChartView(chart_screen(2.0), owid.parent, clock, PALETTE, "en")
    qtbot.addWidget(view)
    view.resize(1280, 720)
    assert clock.subscriber_count == 0  # hidden: not on the clock
    view.show()
    assert view.subscribed
    clock.advance(0.5)
    early_line, early_bars = view.visible_points()
    heights_early = view.series[1].heights.copy()
    for _ in range(60):
        clock.advance(1 / 30)
    late_line, late_bars = view.visible_points()
    assert early_line < late_line == 11
    assert np.all(heights_early < view.series[1].heights)
    assert view.series[1].heights.tolist() == pytest.approx([2.0, 8.0])
    assert not view.subscribed  # done drawing: off the clock
    view.restart()
    assert view.visible_points()[0] == 1 and view.subscribed
    view.hide()
    assert clock.subscriber_count == 0


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_chart_reduced_motion_draws_everything_at_once(qtbot, clock, owid: Path) -> None:
    from kiosk.ui.widgets.chart_view import ChartView

    view = ChartView(chart_screen(5.0), owid.parent, clock, PALETTE, "en")
    qtbot.addWidget(view)
    view.set_reduced_motion(True)
    view.show()
    assert not view.subscribed
    assert view.visible_points()[0] == 11
    view.set_language("de")
    assert view.plot.getAxis("bottom").labelText == "Jahr"
    view.set_palette(PALETTE.model_copy(update={"background": "#000000"}))
    view.set_text_px(40)
    assert view.plot.getAxis("bottom").style["tickFont"].pixelSize() == 40
    view.grab()  # paints without warnings


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_chart_with_a_missing_csv_still_shows(qtbot, clock, tmp_path: Path) -> None:
    from kiosk.ui.widgets.chart_view import ChartView

    view = ChartView(chart_screen(), tmp_path, clock, PALETTE, "en")
    qtbot.addWidget(view)
    assert view.errors and "owid-co2-data.csv" in view.errors[0]
    view.show()
    view.grab()


def test_bars_stand_on_named_ticks_in_the_visitors_language(qtbot, clock, tmp_path: Path) -> None:
    from kiosk.ui.widgets.chart_view import ChartView

    screen = ChartScreen.model_validate(
        {
            "type": "chart",
            "id": "scale",
            "title": {"en": "Scale"},
            "lead": {"en": "Lead"},
            "x_label": {"en": "x"},
            "y_label": {"en": "Gt"},
            "x_ticks": [
                {"at": 1, "label": {"en": "Forests today", "de": "Wälder heute"}},
                {"at": 2, "label": {"en": "Needed 2050", "de": "Bedarf 2050"}},
            ],
            "series": [
                {"label": {"en": "today"}, "style": "bar", "points": [[1, 2.0]], "source": "s"},
                {"label": {"en": "needed"}, "style": "bar", "points": [[2, 8.0]], "source": "s"},
            ],
        }
    )
    view = ChartView(screen, tmp_path, clock, PALETTE, "de")
    qtbot.addWidget(view)
    axis = view.plot.getAxis("bottom")
    assert [label for _, label in axis._tickLevels[0]] == ["Wälder heute", "Bedarf 2050"]
    # Each bar is centred on its own tick (the series do not share places, so no grouping).
    centres = [float(s.item.opts["x"][0]) for s in view.series]
    assert centres == [1.0, 2.0]
    view.set_language("en")
    assert [label for _, label in axis._tickLevels[0]] == ["Forests today", "Needed 2050"]
