"""The decision boundary's bytes: positions checked against a forward pass this test writes itself, the colour
ramp by the properties it promises (a copy of its formula here would only agree with itself)."""

import base64
import math
import struct
import zlib
from pathlib import Path

import pytest

from engine.nn import MLP
from engine.train import Trainer
from tests.web.colours import contrast, css_colours, luminance, over
from web.trainer.heatmap import (
    ALPHA_MAX,
    GRID,
    LEVELS,
    TABLE,
    TINT_0,
    TINT_1,
    VIEW,
    Domain,
    boundary_rgba,
    paint,
    png_data_uri,
    render_points,
    signed_rgba,
)
from web.tree import find_all
from web.widget import Pixels


def forward(model, x1, x2):
    """The 2-4-1 tanh/sigmoid network by hand, from the model's weights."""
    hidden = [math.tanh(w[0].data * x1 + w[1].data * x2 + b.data) for w, b in model.layers[0]]
    (w, b), = model.layers[1]
    z = sum(wi.data * hi for wi, hi in zip(w, hidden, strict=True)) + b.data
    return 1.0 / (1.0 + math.exp(-z))


def colour(p):
    """The ramp's colour for one probability, through the code under test (its properties are tested below)."""
    return boundary_rgba([p])


def test_the_ramp_has_two_hues_split_at_one_half_and_grows_more_opaque_towards_the_ends():
    assert len(TABLE) == LEVELS
    for i, rgba in enumerate(TABLE):
        assert tuple(rgba[:3]) == (TINT_0 if i < LEVELS // 2 else TINT_1)
    alphas = [rgba[3] for rgba in TABLE]
    assert alphas[:LEVELS // 2] == sorted(alphas[:LEVELS // 2], reverse=True)
    assert alphas[LEVELS // 2:] == sorted(alphas[LEVELS // 2:])
    assert ALPHA_MAX - 1 <= alphas[0] == alphas[-1] <= ALPHA_MAX
    assert alphas[LEVELS // 2 - 1] == alphas[LEVELS // 2] <= 1  # next to undecided: (almost) bare background
    assert alphas == alphas[::-1]  # as sure of class 0 at p as of class 1 at 1 − p


def test_a_hidden_unit_map_is_the_ramp_over_its_tanh_output():
    assert signed_rgba([-1.0, 0.0, 1.0, math.nan]) == colour(0.0) + colour(0.5) + colour(1.0) + bytes(4)
    assert signed_rgba([0.6]) == colour(0.8)


@pytest.mark.parametrize("seed", [0, 7])
def test_boundary_bytes_match_an_independent_forward_pass(seed):
    model = MLP(2, [4], 1, activation="tanh", output="sigmoid", seed=seed)
    trainer = Trainer(model, [(0.0, 0.0), (1.0, 1.0)], [0.0, 1.0], lr=0.5)
    for _ in range(5):
        trainer.step()  # weights away from their initial values, biases non-zero
    domain = Domain(-2.0, 2.0, -1.0, 3.0)
    pixels = paint(trainer.predict, domain)
    assert (pixels.width, pixels.height, len(pixels.rgba)) == (GRID, GRID, GRID * GRID * 4)
    want = bytearray()
    for row in range(GRID):
        x2 = 3.0 - 4.0 * (row + 0.5) / GRID  # rows from the top
        for col in range(GRID):
            x1 = -2.0 + 4.0 * (col + 0.5) / GRID
            want += colour(forward(model, x1, x2))
    assert pixels.rgba == bytes(want)


def test_ramp_ends_and_odd_values():
    rgba = boundary_rgba([0.0, 1.0, 0.5, math.nan, 0.999999, 0.49])
    assert rgba[0:4] == colour(0.0) and rgba[4:8] == colour(1.0) == rgba[16:20]
    assert rgba[12:16] == bytes(4)  # NaN is painted transparent (undecided), never an exception
    assert colour(0.0)[:3] != colour(1.0)[:3]
    assert abs(rgba[3] - ALPHA_MAX) <= 1 and abs(rgba[7] - ALPHA_MAX) <= 1  # near-sure: (almost) the full tint
    assert rgba[11] <= 1 and rgba[23] < 8  # undecided and nearly undecided: (almost) no tint at all
    alphas = [boundary_rgba([i / 100])[3] for i in range(101)]
    assert alphas[:50] == sorted(alphas[:50], reverse=True) and alphas[51:] == sorted(alphas[51:])


def test_png_data_uri_decodes_to_the_same_pixels():
    rgba = bytes(range(256)) * (3 * 5 * 4 // 256 + 1)
    pixels = Pixels(3, 5, rgba[:3 * 5 * 4])
    uri = png_data_uri(pixels)
    assert uri.startswith("data:image/png;base64,")
    png = base64.b64decode(uri.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = {}, 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + data)
        chunks[kind] = data
        pos += 12 + length
    assert struct.unpack(">IIBBBBB", chunks[b"IHDR"]) == (3, 5, 8, 6, 0, 0, 0)
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = [raw[i * 13:(i + 1) * 13] for i in range(5)]
    assert all(r[0] == 0 for r in rows)  # filter type "none" on every row
    assert b"".join(r[1:] for r in rows) == pixels.rgba


def test_domain_maps_clicks_back_to_the_plane():
    d = Domain(-1.5, 2.5, -1.75, 2.25)
    assert d.to_unit(-1.5, 2.25) == (0.0, 0.0)
    assert d.to_unit(2.5, -1.75) == (1.0, 1.0)
    x, y = d.from_unit(*d.to_unit(0.3, -0.4))
    assert (x, y) == (pytest.approx(0.3), pytest.approx(-0.4))


def test_points_are_placed_by_the_domain_and_outliers_skipped():
    d = Domain(-2.0, 2.0, -2.0, 2.0)
    layer = render_points([(0.0, 0.0, 1.0, False), (1.0, 1.0, 0.0, True), (5.0, 0.0, 1.0, False)], d)
    circles = find_all(layer, lambda e: e.tag == "circle")
    assert len(circles) == 2
    assert (float(circles[0].attr("cx")), float(circles[0].attr("cy"))) == (VIEW / 2, VIEW / 2)
    assert (float(circles[1].attr("cx")), float(circles[1].attr("cy"))) == (VIEW * 0.75, VIEW * 0.25)
    assert "pt1" in circles[0].attr("class") and "pt0 added" in circles[1].attr("class")


STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_points_keep_a_3_to_1_contrast_on_every_shade_of_the_boundary(scheme):
    page = css_colours(STATIC / "style.css")[scheme]
    background = page["--bg"]  # the plot box's background, which the tint lets through
    shades = [over(background, colour(i / 200)) for i in range(201)]
    assert shades[100] == background  # undecided: the bare background
    for name in ("--neg", "--pos"):
        worst = min(contrast(page[name], shade) for shade in shades)
        assert worst >= 3.0, (scheme, name, worst)


def test_the_tints_are_the_pages_sign_colours():
    light = css_colours(STATIC / "style.css")["light"]
    assert (light["--neg"], light["--pos"]) == (TINT_0, TINT_1)


def test_the_tint_is_dark_on_the_dark_page_and_pale_on_the_light_one():
    light, dark = (css_colours(STATIC / "style.css")[s]["--bg"] for s in ("light", "dark"))
    for p in (0.0, 1.0):
        assert luminance(over(light, colour(p))) > 0.4  # a pale wash on the light page
        assert luminance(over(dark, colour(p))) < 0.1   # a deep, quiet shade on the dark page: no glare
        assert contrast(over(light, colour(p)), light) > 1.2 and contrast(over(dark, colour(p)), dark) > 1.2
