"""Accessibility of every page type (issue 15 item 7), desktop and phone, light and dark, in
real Chromium: landmarks, one h1, a skip link that works, a visible focus ring, text contrast
of at least 4.5:1 (3:1 for large text) computed from the styles, and checkbox states a screen
reader announces."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from test_browser import DESKTOP, PHONE, Served, browser, demo, goto, new_page, seed  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# the lowest contrast of any visible text on the page: [ratio, needed, text, element]
CONTRAST_JS = """() => {
  function rgba(s) { const m = s.match(/[\\d.]+/g) || [0, 0, 0, 0]; return m.map(Number).concat([1]).slice(0, 4); }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function over(top, below) {  // `top` (with alpha) painted over the opaque `below`
    const a = top[3]; return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]);
  }
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    if (layers.length && layers[layers.length - 1][3] >= 1) bg = layers.pop();
    while (layers.length) bg = over(layers.pop(), bg);
    return bg;
  }
  let worst = [99, 4.5, '', ''];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const skip = 'math, svg, canvas, .skip-link, [hidden], [aria-hidden=true], noscript, option';
    if (!n.data.trim() || !el || el.closest(skip)) continue;
    const r = el.getBoundingClientRect(), css = getComputedStyle(el);
    if (!r.width || !r.height || css.visibility === 'hidden' || Number(css.opacity) < 0.5) continue;
    if (el.closest('.highlight')) continue;  // Pygments' theme colours are their own (checked by its style)
    const fg = over(rgba(css.color), background(el));
    const a = lum(fg), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(css.fontSize), bold = Number(css.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const where = el.tagName + '.' + el.className;
    if (ratio / needed < worst[0] / worst[1]) worst = [ratio, needed, n.data.trim().slice(0, 40), where];
  }
  return worst;
}"""

PAGES = {
    "home": lambda s: "/",
    "topic": lambda s: s.longest_topic(),
    "note": lambda s: next(iter(s.report.site.note_pages.values())).url,
    "tags": lambda s: "/tags/",
    "tag": lambda s: next(iter(s.report.site.tag_urls.values()), None),
    "tracker": lambda s: "/tasks/",
    "recent": lambda s: "/recent/",
    "graph": lambda s: "/graph/",
    "search": lambda s: "/search/?q=lora",
    "404": lambda s: "/404.html",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_is_accessible(kind: str, size: str, scheme: str, demo: Served, new_page: Any) -> None:  # noqa: F811
    check_page(kind, size, scheme, demo, new_page)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_seed_page_is_accessible(kind: str, seed: Served, new_page: Any) -> None:  # noqa: F811
    """The user's notes, every page type, on a phone in the dark theme and on a desktop in the light."""
    check_page(kind, "phone", "dark", seed, new_page)
    check_page(kind, "desktop", "light", seed, new_page)


def check_page(kind: str, size: str, scheme: str, site: Served, new_page: Any) -> None:  # noqa: F811
    url = PAGES[kind](site)
    if url is None:
        pytest.skip(f"this vault has no {kind} page")
    page, _ = new_page(viewport=DESKTOP if size == "desktop" else PHONE, color_scheme=scheme)
    goto(page, url if url.startswith("http") else site.url(url))
    page.wait_for_load_state("networkidle")
    # landmarks and one h1
    for role in ("banner", "main", "contentinfo", "navigation"):
        assert page.get_by_role(role).count() >= 1, f"{kind}: no {role} landmark"
    assert page.locator("h1").count() == 1, f"{kind}: {page.locator('h1').count()} h1 elements"
    # the skip link is the first stop of the keyboard, shows itself, and leads to the main text
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert first == ["skip-link", "#content"], first
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link stays off-screen when focused"
    assert page.locator("#content").count() == 1
    # a visible focus ring on the next stop
    page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"""
    )
    assert (ring[0] != "none" and ring[1] >= 1) or ring[2] != "none", f"{kind}: no visible focus ({ring})"
    # text contrast
    ratio, needed, text, element = page.evaluate(CONTRAST_JS)
    assert ratio >= needed, f"{kind} {size} {scheme}: contrast {ratio:.2f} < {needed} for {text!r} ({element})"


def test_checkbox_states_are_announced(demo: Served, new_page: Any) -> None:  # noqa: F811
    site = demo.report.site
    assert site is not None
    topic = next(t for t in site.topics.values() if any(task.done for task in t.tasks) and not t.place_id)
    page, _ = new_page()
    goto(page, demo.url(topic.url))
    done = sum(1 for task in topic.tasks if task.done)
    undone = sum(1 for task in topic.tasks if task.status in ("open", "in-progress", "question"))
    assert page.get_by_role("checkbox", checked=True).count() == done
    assert page.get_by_role("checkbox", checked=False).count() >= undone
    names = page.eval_on_selector_all(".task-list-item-checkbox", "els => els.map(e => e.getAttribute('aria-label'))")
    assert names and all(names)  # each says its status ("done", "open", …), not only checked or not
