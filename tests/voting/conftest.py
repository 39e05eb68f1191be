"""Signed-in users for the voting tests."""
import pytest


@pytest.fixture()
def staff(make_user, login):
    return login(make_user("staff", name="Sam Staff"))


@pytest.fixture()
def resident(make_user, login):
    return login(make_user("resident", name="Rosa Resident"))
