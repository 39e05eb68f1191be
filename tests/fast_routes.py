"""The suite makes a fresh app for each of its 3,000 tests; this makes that cheap.

``create_app`` took about 110 ms, nearly all of it Werkzeug compiling two URL builders for each
of some 200 routes (it writes each as Python source and compiles it). A builder's code depends
only on the route's trace (its static and variable parts), its defaults and which kind it is,
and it reads everything else from the rule it is bound to, so each is compiled once per test
process and reused by every later app. Production makes one app per worker and is untouched.
"""
from __future__ import annotations


#: Werkzeug's own builder compiler, for the test that checks the kept builders against it
original_compiler = None


def install() -> None:
    global original_compiler
    from werkzeug.routing.rules import Rule

    original = Rule._compile_builder
    if getattr(original, "_kept_per_process", False):
        return
    original_compiler = original
    built: dict[tuple, object] = {}

    def compile_builder(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        if any(dynamic and part in defaults for dynamic, part in self._trace):
            return original(self, append_unknown)  # a default folded in by its converter
        key = (self.rule, tuple(self._trace), tuple(sorted(map(str, defaults))),
               append_unknown)
        if key not in built:
            built[key] = original(self, append_unknown)
        return built[key]

    compile_builder._kept_per_process = True
    Rule._compile_builder = compile_builder
