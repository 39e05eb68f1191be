"""Small pabulib ``.pb`` files built in code, so each test shows the one case it is about."""
from __future__ import annotations

from pathlib import Path

VOTE_COLUMNS = {"cumulative": ("voter_id", "vote", "points"),
                "scoring": ("voter_id", "vote", "points")}


def pb_text(meta: dict, projects: list[dict], votes: list[tuple], *,
            vote_type: str = "approval") -> str:
    """A ``.pb`` file: ``meta`` adds to (or, with None, removes) the defaults below;
    ``projects`` are rows of PROJECTS (``project_id`` and ``cost`` first); ``votes`` are
    ``(vote,)`` or ``(vote, points)`` tuples, voters numbered from 1."""
    head = {"description": "test", "country": "Nowhere", "unit": "Test",
            "num_projects": str(len(projects)), "num_votes": str(len(votes)),
            "budget": "100", "vote_type": vote_type, "rule": "greedy"}
    head.update(meta)
    lines = ["META", "key;value"]
    lines += [f"{k};{v}" for k, v in head.items() if v is not None]
    columns = list(projects[0])
    lines += ["PROJECTS", ";".join(columns)]
    lines += [";".join(str(p.get(c, "")) for c in columns) for p in projects]
    header = VOTE_COLUMNS.get(head["vote_type"], ("voter_id", "vote"))
    lines += ["VOTES", ";".join(header)]
    lines += [";".join([str(n), *v]) for n, v in enumerate(votes, start=1)]
    return "\n".join(lines) + "\n"


def pb_file(tmp_path: Path, *args, name: str = "case.pb", **kw) -> Path:
    path = tmp_path / name
    path.write_text(pb_text(*args, **kw), encoding="utf-8")
    return path
