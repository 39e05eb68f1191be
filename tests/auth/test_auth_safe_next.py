"""The ``next`` check on its own: only plain paths on this site get through."""
import pytest

from pbapp.auth.safe_next import safe_next


@pytest.mark.parametrize("target", [
    "/",
    "/auth/account",
    "/cycles/2026-spring/results",
    "/proposals?cycle=3&page=2",
    "/search?q=bus%20stop",
    "/cycles/2026-spring#results",
    "/caf%C3%A9",
])
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    None,
    "",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http://localhost/auth/account",
    "javascript:alert(1)",
    "evil.example",
    "auth/account",
    " /auth/account",
    "/\t/evil.example",
    "/\n/evil.example",
    "/ /evil.example",
    "%2F%2Fevil.example",
    "%2f%2fevil.example",
    "/%2F/evil.example",
    "/%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "%252F%252Fevil.example",
    "/%252Fevil.example",
    "/%25252F%25252Fevil.example",
    "/caf\u00e9",
    "/" + "a" * 2000,
])
def test_anything_else_is_refused(target):
    assert safe_next(target) is None


def test_non_strings_are_refused():
    assert safe_next(["/"]) is None
    assert safe_next(b"/") is None
