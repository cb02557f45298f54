import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def assert_close(actual, expected, rtol=1e-8, atol=1e-12, what=""):
    """Agreement to 1e-8 relative (atol only absorbs values that are zero up to float64 round-off)."""
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


def picture_difference(png_a, png_b):
    """How far apart two PNG pictures of the same size are: the mean and the 99th percentile of the absolute
    difference of their RGB values (0 to 255). A picture redrawn in place (lstm_book.sliders.FastFigure) and the
    same picture drawn anew differ only by anti-aliasing at the edges of what was redrawn. A small leftover (a
    marker of an earlier value) hides in both numbers: check `pixels_apart` too."""
    import io

    import numpy as np
    from PIL import Image

    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB"), dtype=float) for p in (png_a, png_b))
    assert a.shape == b.shape, f"the pictures differ in size: {a.shape} and {b.shape}"
    diff = np.abs(a - b)
    return float(diff.mean()), float(np.percentile(diff, 99))


def pixels_apart(png_a, png_b, by=30):
    """How many pixels of two same-size PNG pictures differ by more than `by` (0 to 255) in some RGB channel."""
    import io

    import numpy as np
    from PIL import Image

    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB"), dtype=int) for p in (png_a, png_b))
    assert a.shape == b.shape, f"the pictures differ in size: {a.shape} and {b.shape}"
    return int(np.count_nonzero(np.abs(a - b).max(axis=2) > by))
