from web.plot import Scale, tick_label, ticks


def test_scale_maps_ends_and_middle_including_flipped_pixels():
    s = Scale(0.0, 4.0, 180.0, 20.0)  # y grows downwards on screen
    assert (s(0.0), s(4.0), s(2.0)) == (180.0, 20.0, 100.0)
    assert s.contains(3.9) and not s.contains(4.1)


def test_ticks_are_round_and_cover_the_range():
    assert ticks(-2, 2) == [-2, -1, 0, 1, 2]
    assert ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert ticks(0, 4) == [0, 1, 2, 3, 4]
    assert tick_label(0.2, 0.2) == "0.2" and tick_label(3, 1) == "3"
