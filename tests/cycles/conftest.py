"""Signed-in staff for the cycle tests."""
import pytest


@pytest.fixture()
def staff(make_user, login):
    return login(make_user("staff", name="Sam Staff"))
