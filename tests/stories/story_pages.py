"""Reading a story page as a person would: the private link on it, one story's box."""
from __future__ import annotations

import re


def withdraw_link(page: str) -> str:
    found = re.search(r'href="http://localhost(/stories/withdraw/[A-Za-z0-9_-]{43})"', page)
    assert found, "no withdrawal link on the page"
    return found.group(1)


def story_article(page: str, story_id: int) -> str:
    found = re.search(rf'<article class="story" id="story-{story_id}">(.*?)</article>', page,
                      re.S)
    assert found, f"story {story_id} is not on the page"
    return found.group(1)
