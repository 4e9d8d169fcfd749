"""The loss chart: log-scale geometry, bucketing that keeps the whole history, cached path text."""

import itertools
import math
import random

import pytest

from web.trainer.linechart import (
    BOTTOM,
    HEIGHT,
    TOP,
    WIDTH,
    History,
    LogScale,
    chart_scales,
    decades,
    epoch_label,
    loss_path,
    nice_extent,
    power_label,
    render_loss_chart,
)
from web.tree import find, find_all, text_of


def test_log_scale_spaces_decades_evenly():
    sy = LogScale(0.001, 1.0, 100.0, 10.0)
    ys = [sy(10.0 ** -k) for k in range(4)]
    assert ys[0] == pytest.approx(10.0) and ys[3] == pytest.approx(100.0)
    gaps = [b - a for a, b in itertools.pairwise(ys)]
    assert gaps == pytest.approx([30.0, 30.0, 30.0])
    assert sy(math.sqrt(0.1)) == pytest.approx(25.0)  # halfway through a decade in log terms
    assert sy(0.0) == sy(1e-12)  # zero is drawn at the floor, not an error


@pytest.mark.parametrize(("low", "high", "want"), [
    (0.05, 0.7, (0.01, 1.0)), (0.1, 0.1, (0.1, 1.0)), (2e-5, 5.4, (1e-5, 10.0)), (math.inf, -math.inf, (0.01, 1.0)),
])
def test_decades_hold_the_range(low, high, want):
    lo, hi = decades(low, high)
    assert (lo, hi) == pytest.approx(want)


def test_history_buckets_cover_every_epoch_with_true_extremes():
    rng = random.Random(4)
    values = [rng.lognormvariate(0, 2) for _ in range(5000)]
    history = History(buckets=50)
    for v in values:
        history.append(v)
    assert len(history) == 5000 and history.values == values
    assert len(history.buckets) <= 100
    stride = history.stride
    assert stride > 1
    for index, low, high, _jumped in history.buckets:
        chunk = values[index:index + stride]
        assert (low, high) == (min(chunk), max(chunk))
    assert history.buckets[-1][0] + stride >= len(values)
    assert (history.low, history.high) == (min(values), max(values))


def test_cached_path_equals_a_fresh_drawing():
    values = [1.0 / (1 + i) + 0.01 * math.sin(i) for i in range(3000)]
    grown = History(buckets=40)
    for i, v in enumerate(values):
        grown.append(v)
        if i % 97 == 0:
            loss_path(grown, *chart_scales(grown))  # draws along the way, as the page does each frame
    fresh = History(buckets=40)
    for v in values:
        fresh.append(v)
    assert loss_path(grown, *chart_scales(grown)) == loss_path(fresh, *chart_scales(fresh))


def test_path_points_sit_where_the_scales_say():
    history = History()
    for v in (1.0, 0.1, 0.01):
        history.append(v)
    sx, sy = chart_scales(history)
    assert (sy.lo, sy.hi) == pytest.approx((0.01, 1.0))
    d = loss_path(history, sx, sy)
    points = [tuple(map(float, p.split(","))) for p in d[1:].split("L")]
    assert [y for _, y in points] == pytest.approx([TOP, (TOP + HEIGHT - BOTTOM) / 2, HEIGHT - BOTTOM], abs=0.06)
    assert [x for x, _ in points] == pytest.approx([sx(0), sx(1), sx(2)], abs=0.06)


def test_x_axis_grows_in_round_steps():
    assert [nice_extent(n) for n in (0, 10, 11, 21, 51, 101, 999, 1001)] == [10, 10, 20, 50, 100, 200, 1000, 2000]


def test_chart_is_an_image_named_training_loss_with_power_of_ten_ticks():
    history = History()
    for v in (0.7, 0.3, 0.02):
        history.append(v)
    chart = render_loss_chart(history, loss_name="Binary cross-entropy")
    assert (chart.attr("role"), chart.attr("aria-label")) == ("img", "Training loss")
    labels = [text_of(t) for t in find_all(chart, lambda e: e.tag == "text" and e.attr("class") == "tick-label")]
    assert labels[:3] == ["0.01", "0.1", "1"]
    assert "3 epochs" in text_of(find(chart, id="trainer-loss-desc"))
    assert [power_label(k) for k in (-4, -2, 0, 2, 5)] == ["10⁻⁴", "0.01", "1", "100", "10⁵"]


# Widths of 11px tick-label characters as Chromium draws them with the page's fonts (measured: digits 7.0px,
# "M" 9.5px, everything else narrower), rounded up; ascent and descent are under 0.8 and 0.25 of the font size.
FONT, ASCENT, DESCENT = 11.0, 0.8, 0.25


def text_width(text):
    return sum(9.6 if c == "M" else 7.1 for c in text)


class LongHistory(History):
    """A history that claims `count` epochs while storing a few: the chart only reads the length and extremes."""

    def __init__(self, count, losses):
        super().__init__()
        for loss in losses:
            self.append(loss)
        self.count = count

    def __len__(self):
        return self.count


def label_boxes(chart):
    """(left, right, top, bottom) of every tick label, from its position, anchor and a generous text width."""
    boxes = []
    for t in find_all(chart, lambda e: e.tag == "text" and e.attr("class") == "tick-label"):
        x, y, width = float(t.attr("x")), float(t.attr("y")), text_width(text_of(t))
        left = {"start": x, "middle": x - width / 2, "end": x - width}[t.attr("text-anchor")]
        boxes.append((left, left + width, y - ASCENT * FONT, y + DESCENT * FONT))
    return boxes


EXTENTS = [m * 10 ** k for k in range(1, 10) for m in (1, 2, 5)]  # every length the x axis takes, to 10^9


@pytest.mark.parametrize("losses", [(0.7, 0.3, 0.02), (5.0, 1e-12), (1e300, 1e-5), (0.1,)])
def test_tick_labels_stay_inside_the_chart_and_apart_at_any_epoch_count(losses):
    for extent in EXTENTS:
        for count in (extent // 2 + 1, extent + 1):  # the epoch counts that give this axis, both ends
            chart = render_loss_chart(LongHistory(count, losses), loss_name="Squared error")
            assert chart.attr("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
            boxes = label_boxes(chart)
            for left, right, top, bottom in boxes:
                assert left >= 0 and top >= 0 and right <= WIDTH and bottom <= HEIGHT, (extent, boxes)
            row = sorted(b for b in boxes if b[2] > HEIGHT - BOTTOM)  # the epoch labels under the axis
            assert len(row) >= 3
            for a, b in itertools.pairwise(row):
                assert b[0] - a[1] >= 4, (extent, row)  # at least a few pixels of air between neighbours
            column = sorted(b for b in boxes if b[2] <= HEIGHT - BOTTOM)
            assert all(b[2] - a[3] >= 0 for a, b in itertools.pairwise(sorted(column, key=lambda b: b[2])))


def test_epoch_labels_are_short_and_round():
    assert [epoch_label(v) for v in (0, 500, 1500, 9999, 10_000, 15_000, 250_000, 1_000_000, 1_500_000, 10**7)] == [
        "0", "500", "1,500", "9,999", "10k", "15k", "250k", "1M", "1.5M", "10M"]
    assert max(len(epoch_label(v)) for extent in EXTENTS for v in (extent, extent / 2, extent * 0.75)) <= 6


def test_a_real_ten_thousand_epoch_history_labels_its_end_inside_the_chart():
    history = History()
    for i in range(10_001):
        history.append(1.0 / (1 + i))
    chart = render_loss_chart(history, loss_name="Binary cross-entropy")
    labels = {text_of(t): t for t in find_all(chart, lambda e: e.tag == "text" and e.attr("class") == "tick-label")}
    end = labels["10k"]  # 10,001 epochs: the axis runs to epoch 10,000, the label that used to poke out
    assert end.attr("text-anchor") == "end" and float(end.attr("x")) <= WIDTH
    assert all(right <= WIDTH for _, right, _, _ in label_boxes(chart))


def history_of(values):
    h = History()
    for v in values:
        h.append(v)
    return h


def test_earlier_runs_are_faded_lines_labelled_with_their_learning_rates_on_shared_scales():
    now = history_of([0.7, 0.6, 0.5])
    slow = history_of([0.7] * 50)
    wild = history_of([0.7, 40.0, 3.0, 90.0])
    chart = render_loss_chart(now, loss_name="Binary cross-entropy", label="η 0.3",
                              past=(("η 300", wild), ("η 0.001", slow)))
    paths = find_all(chart, lambda e: e.tag == "path")
    assert [p.attr("class") for p in paths] == ["loss-line past past-2", "loss-line past past-1", "loss-line"]
    labels = {text_of(t): t for t in find_all(chart, lambda e: e.tag == "text" and "run-label" in
                                              (e.attr("class") or ""))}
    assert set(labels) == {"η 0.3", "η 300", "η 0.001"}
    assert "past" in labels["η 300"].attr("class") and "past" not in labels["η 0.3"].attr("class")
    sx, sy = chart_scales(now, wild, slow)
    assert sx.hi >= 49 and sy.hi >= 90.0 and sy.lo <= 0.5  # every run fits
    ys = sorted(float(t.attr("y")) for t in labels.values())
    assert all(b - a >= 11 for a, b in itertools.pairwise(ys))  # labels never sit on top of each other
    for t in labels.values():
        assert 0 <= float(t.attr("x")) <= WIDTH and TOP <= float(t.attr("y")) <= HEIGHT - BOTTOM
    desc = text_of(find(chart, id="trainer-loss-desc"))
    assert "Earlier runs: η 300, 4 epochs, last loss 90.0000; η 0.001, 50 epochs" in desc
    assert render_loss_chart(now, loss_name="x", past=(("η 1", History()),)).attr("role") == "img"  # empty: skipped


def test_a_loss_that_cycles_is_drawn_as_jumps_not_as_a_band():
    """At η = 300 on XOR the loss cycles 143.6 → 49.9 → 87.7: each epoch a dash of its own, no line between."""
    history = History()
    for v in (0.7, 3.2, 294.1, 74.0, *[143.6, 49.9, 87.7] * 300):
        history.append(v)
    d = loss_path(history, *chart_scales(history))
    assert "L" not in d.split("h")[-1] and d.count("L") <= 2  # only the first, falling-then-rising epochs join
    assert d.count("M") >= len(history.buckets)
    calm = History()
    for k in range(900):
        calm.append(0.7 * 0.995 ** k)
    d = loss_path(calm, *chart_scales(calm))
    assert d.count("M") == 1 and "h" not in d  # a descent is one line
