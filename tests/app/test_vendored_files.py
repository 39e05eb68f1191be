"""Vendored files are exactly the npm packages' files recorded in static/vendor/SOURCES.md (what
the site serves) and tests/browser/vendor/SOURCES.md (what only the tests inject: axe-core).

Guards against a hand-edited library (a fix that the next upgrade silently drops, or worse) and
against a file served that nobody recorded where it came from."""
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"
ROW = re.compile(r"^\| `(?P<file>[^`]+)`.*\| `(?P<sha256>[0-9a-f]{64})` \|$")


def _recorded(folder: Path) -> dict[str, str]:
    return {m["file"]: m["sha256"] for line in (folder / "SOURCES.md").read_text().splitlines()
            if (m := ROW.match(line))}


def _check(folder: Path, expected: set[str]) -> None:
    recorded = _recorded(folder)
    assert set(recorded) == expected
    for name, sha256 in recorded.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha256, name
    code = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.suffix in (".js", ".css")}
    assert code == set(recorded), "a vendored script or stylesheet not in SOURCES.md"


def test_every_vendored_file_is_recorded_and_unchanged():
    _check(VENDOR, {"htmx-2.0.11.min.js", "pico-2.1.1/pico.min.css"})
    _check(TEST_VENDOR, {"axe-core-4.14.1/axe.min.js"})


def test_the_site_ships_no_test_tool():
    """axe-core (650 KB) is for the tests: nothing under static/ is served that no page uses."""
    assert not any("axe" in p.name.lower() for p in (ROOT / "static").rglob("*"))
