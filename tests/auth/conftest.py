"""Fixtures the sign-in tests share."""
import pytest

from pbapp.extensions import limiter


@pytest.fixture()
def fresh_limits(app):
    """Rate-limit counters start empty and are emptied again (they live in the process)."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture()
def rosa(make_user):
    return make_user(email="rosa@example.org", name="Rosa Resident")
