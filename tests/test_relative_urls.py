"""emit/relative.py: the remembering `relative_url` gives exactly its answers, whatever
pages asked before (one instance serves every page of a site)."""

import itertools
import random

from mlnotes_site.emit.relative import RelativeUrls
from mlnotes_site.paths import relative_url

SEGMENTS = ["a", "b", "ab", "static", "tags", "a:b", "中 文", "x.html", ""]


def _urls(rng: random.Random, n: int) -> list[str]:
    found = ["/", "/404.html", "/static/", "/static/style.css", "/a/", "/a", "/a/b/", "/ab/", "/tags/a/"]
    for _ in range(n):
        parts = [rng.choice(SEGMENTS) for _ in range(rng.randint(0, 3))]
        url = "/" + "/".join(parts) + rng.choice(["/", "", "/x.js"])
        found.append(url.replace("//", "/"))
    return found


def test_same_answers_as_relative_url_in_any_order():
    rng = random.Random(13)
    pages = _urls(rng, 60)
    targets = _urls(rng, 60) + ["", "#x", "/#x", "/a/#h", "/a#h", "b/", "../c/"]
    pairs = list(itertools.product(pages, targets))
    rng.shuffle(pairs)
    relative = RelativeUrls()
    for page, target in pairs + pairs:  # the second round answers from memory
        assert relative(page, target) == relative_url(page, target), (page, target)
