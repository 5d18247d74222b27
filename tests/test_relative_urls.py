"""emit/relative.py: the remembering `relative_url` gives exactly its answers, whatever
pages asked before (one instance serves every page of a site); pages of one `place` link
alike to every URL a template can name (so they may share a rendered fragment)."""

import itertools
import random

from mlnotes_site import urls
from mlnotes_site.emit.relative import RelativeUrls, place
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


def test_pages_of_one_place_link_alike_to_the_sites_own_urls():
    rng = random.Random(15)
    own = [*urls.as_context().values(), urls.TOPICS, urls.topics_page(2), urls.tracker_page(3), urls.tracker_notes(2)]
    own += [u + "x.js" for u in own if u.endswith("/")]
    pages = _urls(rng, 200) + ["/tags/a/", "/tasks/2/", "/tasks/notes/", "/topics/2/", "/notes/n/", "/graph/"]
    by_place: dict[int, list[str]] = {}
    for page in pages:
        found = place(page)
        if found is not None:
            by_place.setdefault(found, []).append(page)
    assert place("/a/") == 1 and place("/") == 0 and place("/tags/a/") is None and place("/notes/n/") is None
    for depth, alike in by_place.items():
        for target in own:
            answers = {relative_url(page, target) for page in alike}
            assert len(answers) == 1, (depth, target, alike)
