"""Fixtures the sign-in tests share."""
import pytest


@pytest.fixture()
def rosa(make_user):
    return make_user(email="rosa@example.org", name="Rosa Resident")
