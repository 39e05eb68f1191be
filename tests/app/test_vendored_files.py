"""Vendored files are exactly the npm packages' files recorded in static/vendor/SOURCES.md.

Guards against a hand-edited library (a fix that the next upgrade silently drops, or worse) and
against a file served that nobody recorded where it came from."""
import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
ROW = re.compile(r"^\| `(?P<file>[^`]+)`.*\| `(?P<sha256>[0-9a-f]{64})` \|$")


def test_every_vendored_file_is_recorded_and_unchanged():
    recorded = {m["file"]: m["sha256"] for line in (VENDOR / "SOURCES.md").read_text().splitlines()
                if (m := ROW.match(line))}
    assert set(recorded) == {"htmx-2.0.11.min.js", "pico-2.1.1/pico.min.css",
                             "axe-core-4.14.1/axe.min.js"}
    for name, sha256 in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == sha256, name
    code = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*")
            if p.suffix in (".js", ".css")}
    assert code == set(recorded), "a vendored script or stylesheet not in SOURCES.md"
