"""Obsidian's image sizes: `![250](url)`, `![alt|250](url)`, `![alt|250x100](url)`.

A core rule moves a size written at the end of an image's alt text into `width` and
`height` attributes and leaves the rest as the alt text. `![[pic.png|250]]` and
`![[pic.png|alt|250x100]]` (wikilink embeds, rendered in render_rules.py) use the same
`split_size`. A lone number is a width, as in Obsidian: `![2023](chart.png)` is 2023 px wide,
and its alt text is the file's name (`chart.png`).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# the whole alt text, or its last `|` part: a width, or width x height (1–5 digits each)
_SIZE = re.compile(r"(?:^|\|)\s*(\d{1,5})\s*(?:[x×]\s*(\d{1,5})\s*)?$")


def split_size(label: str) -> tuple[str, str | None, str | None]:
    """`alt|250x100` → (`alt`, `250`, `100`); a label with no size → (label, None, None)."""
    match = _SIZE.search(label)
    if match is None:
        return label, None, None
    return label[: match.start()].strip(), match.group(1), match.group(2)


def image_sizes(state: StateCore) -> None:
    """Give every image whose alt text ends with a size its `width` (and `height`)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for image in token.children:
            if image.type != "image" or "|" not in image.content and not image.content.strip().isdigit():
                continue
            alt, width, height = split_size(image.content)
            children = image.children or []
            last = children[-1] if children else None
            if width is None or last is None or last.type != "text":
                continue  # the size must be plain text at the end (not `![*250*](x)`)
            kept, cut_width, _ = split_size(last.content)
            if cut_width != width:
                continue
            if not alt:  # `![250](path/cat.png)`: the file's name, as for `![[cat.png|250]]`
                alt = str(image.attrGet("src") or "").split("?")[0].rstrip("/").rpartition("/")[2]
                kept = alt if len(children) == 1 else kept
            last.content = kept
            image.content = alt
            image.attrSet("width", width)
            if height is not None:
                image.attrSet("height", height)


def plugin(md: MarkdownIt) -> None:
    """Register the core rule (after `inline`, which made the image tokens)."""
    md.core.ruler.after("inline", "image_size", image_sizes)
