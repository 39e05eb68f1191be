"""Spanish everywhere (issue 18): every message the code and templates mark for translation has a
Spanish translation in the catalogue, not fuzzy, with the same placeholders, and the compiled
catalogue the site loads says the same as the one people edit."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "pbapp" / "translations" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _marked() -> set[str]:
    """Every message id marked in the code and templates, as ``pybabel extract`` finds them."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
                      "N_": None, "_l": None, "pgettext": ((1, "c"), 2)}):
        ids.add(message if isinstance(message, str) else message[0])
    return {i for i in ids if i}


def _entries(path: Path) -> dict[str, object]:
    with open(path, "rb") as f:
        catalogue = read_po(f) if path.suffix == ".po" else read_mo(f)
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}


def test_every_marked_message_has_a_spanish_translation():
    po = _entries(CATALOGUE / "messages.po")
    missing = sorted(i for i in _marked() if i not in po)
    assert not missing, f"{len(missing)} messages are not in the catalogue (run pybabel " \
                        f"extract and update): {missing[:10]}"
    untranslated = sorted(i for i, m in po.items()
                          if (m.fuzzy or not all(
                              m.string if isinstance(m.string, tuple) else [m.string])))
    assert not untranslated, f"{len(untranslated)} without a Spanish translation (or fuzzy): " \
                             f"{untranslated[:10]}"


def test_translations_keep_their_placeholders():
    for msgid, m in _entries(CATALOGUE / "messages.po").items():
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(PLACEHOLDER.findall(msgid if isinstance(m.id, str) else m.id[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"num"}, (msgid, text)


def test_the_compiled_catalogue_matches_the_edited_one():
    def text(m):
        return m.string if isinstance(m.string, str) else tuple(m.string)

    po = {i: text(m) for i, m in _entries(CATALOGUE / "messages.po").items() if not m.fuzzy}
    mo = {i: text(m) for i, m in _entries(CATALOGUE / "messages.mo").items()}
    stale = sorted(i for i in po if po[i] and mo.get(i) != po[i])
    assert not stale, f"run pybabel compile: {len(stale)} differ, e.g. {stale[:3]}"
