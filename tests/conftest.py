import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def assert_close(actual, expected, rtol=1e-8, atol=1e-12, what=""):
    """Agreement to 1e-8 relative (atol only absorbs values that are zero up to float64 round-off)."""
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)
