"""The suite's shortcut (``tests/fast_routes.py``) builds every URL as Werkzeug itself would."""
import fast_routes
from werkzeug.routing.rules import Rule

from pbapp import create_app


def test_kept_url_builders_build_what_werkzeug_builds(tmp_path):
    assert Rule._compile_builder is not fast_routes.original_compiler  # installed
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "SECRET_KEY": "k" * 32})
    again = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                        "SECRET_KEY": "k" * 32})
    rules = list(again.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        values = {name: 7 for name in rule.arguments}
        for unknown in (False, True):
            own = fast_routes.original_compiler(rule, unknown).__get__(rule, None)
            kept = rule._build_unknown if unknown else rule._build
            extra = {"page": 2, "q": "a b"} if unknown else {}
            assert kept(**values, **extra) == own(**values, **extra), rule.rule
    assert app.url_map is not again.url_map
