"""The interface's words: one message catalogue per language (`<language>.yaml` beside this
file), a `Messages` object made from the resolved language, and the language of the notes.

A catalogue is nested YAML flattened to dotted keys (`nav.topics`). A value is a string
with `{name}` placeholders, or a plural: a mapping of forms (`one`, `other`, …) chosen by
the `n` placeholder under the language's rule (`meta.plural`, one of PLURAL_RULES). Keys
under `js.` are also given to the scripts (emit/messages.py). A key missing from a
catalogue comes from English; a key missing from English is an error (KeyError), never
an empty string. Adding a language is adding one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Union

import yaml
from markupsafe import Markup, escape

FALLBACK = "en"
_FOLDER = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

Message = Union[str, Mapping[str, str]]  # a string, or plural forms by name

# a plural rule: the form a count takes (CLDR names); a catalogue names its rule in `meta.plural`
PLURAL_RULES: dict[str, Callable[[int], str]] = {
    "one_other": lambda n: "one" if n == 1 else "other",  # English, German, …
    "other": lambda n: "other",  # Chinese, Japanese, Korean, …
    "one_upto_1": lambda n: "one" if n in (0, 1) else "other",  # French, Portuguese (Brazil)
}


# the same rules for the scripts (emit/messages.py writes the one a catalogue names)
PLURAL_RULES_JS: dict[str, str] = {
    "one_other": 'function (n) { return n === 1 ? "one" : "other"; }',
    "other": 'function (n) { return "other"; }',
    "one_upto_1": 'function (n) { return n === 0 || n === 1 ? "one" : "other"; }',
}


def catalogue_folder() -> Path:
    """Where the catalogues live (inside the package: they ship in the wheel)."""
    return _FOLDER


def available() -> tuple[str, ...]:
    """Every language with a catalogue, sorted (`en`, `zh-CN`, …)."""
    return tuple(sorted(p.stem for p in _FOLDER.glob("*.yaml")))


def canonical(language: str) -> str | None:
    """The catalogue name of `language` compared without case (`zh-cn` → `zh-CN`), or None."""
    for name in available():
        if name.lower() == language.strip().lower():
            return name
    return None


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Message]:
    flat: dict[str, Message] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and not is_plural(value):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = {k: str(v) for k, v in value.items()} if isinstance(value, Mapping) else str(value)
    return flat


PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR's names


def is_plural(value: Any) -> bool:
    """Whether a catalogue value is a set of plural forms: a mapping of CLDR form names
    (`one`, `other`, …) to strings, holding `other`."""
    return (
        isinstance(value, Mapping)
        and "other" in value
        and set(value) <= PLURAL_FORMS
        and all(isinstance(v, str) for v in value.values())
    )


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, Message]:
    """The flat catalogue of `language` as written (no fallback)."""
    path = _FOLDER / f"{language}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _flatten(data)


@dataclass(frozen=True)
class Messages:
    """The interface's words in one language, English where that language has no entry."""

    language: str
    table: Mapping[str, Message] = field(repr=False, compare=False)
    plural: Callable[[int], str] = field(repr=False, compare=False)
    _cache: dict[str, Markup] = field(default_factory=dict, repr=False, compare=False)  # key -> escaped text

    def message(self, key: str, n: int | None = None) -> str:
        """The text of `key` (the plural form for `n`), placeholders not yet filled."""
        value = self.table[key]  # KeyError: a key not even English has
        if isinstance(value, str):
            return value
        if n is None:
            raise KeyError(f"{key}: a plural message needs n")
        return value.get(self.plural(n)) or value["other"]

    def t(self, key: str, **values: Any) -> str:
        """The message `key` with its placeholders filled (`n` also picks a plural form)."""
        text = self.message(key, values.get("n"))
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)

    def html(self, key: str, **values: Any) -> Markup:
        """Like `t`, as HTML: the message and its values escaped, Markup values kept as they are."""
        if not values:  # most calls (`t('nav.topics')`): the same Markup every time
            return self._plain(key)
        text = self.message(key, values.get("n"))
        parts = _PLACEHOLDER.split(text)  # text, name, text, name, …
        out = [escape(p) if i % 2 == 0 else escape(values.get(p, "{" + p + "}")) for i, p in enumerate(parts)]
        return Markup("").join(out)

    def date(self, value: str) -> str:
        """A date `YYYY-MM-DD…` in the language's way (`2023年6月9日`, `9 June 2023`); anything
        else as written (front matter may hold any text)."""
        found = _ISO_DATE.match(value or "")
        if not found:
            return value
        year, month, day = (int(part) for part in found.groups())
        if not 1 <= month <= 12:
            return value
        name = self.message("date.months").split(",")[month - 1].strip()
        return self.t("date.day", year=year, month=month, day=day, month_name=name)

    def _plain(self, key: str) -> Markup:
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = Markup(escape(self.message(key)))
        return found

    def scripts(self) -> dict[str, Any]:
        """What the scripts get: every `js.` message (without the prefix) and the plural rule."""
        return {
            "language": self.language,
            "plural": str(self.table["meta.plural"]),
            "messages": {k[3:]: v for k, v in sorted(self.table.items()) if k.startswith("js.")},
        }


@lru_cache(maxsize=None)
def messages(language: str) -> Messages:
    """The Messages of a language with a catalogue (see `canonical`)."""
    table: dict[str, Message] = dict(catalogue(FALLBACK))
    if language != FALLBACK:
        table.update(catalogue(language))
    rule = str(table["meta.plural"])
    if rule not in PLURAL_RULES:
        raise ValueError(f"{language}.yaml: meta.plural '{rule}' is not one of {', '.join(PLURAL_RULES)}")
    return Messages(language, table, PLURAL_RULES[rule])


# -- the notes' language ------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")  # runs: fewer strings
_WORD = re.compile(r"[A-Za-z]+")
# a run of non-space characters with `://`, `www.` or `@` in it, tried from its first character
# only (without the look-behind, each later character of every run was a failed start too)
_URL = re.compile(r"(?<!\S)\S*(?:://|www\.|@)\S*")


def text_counts(tokens: Any) -> tuple[int, int]:
    """(Han characters, Latin words) in the text of a note's tokens: paragraphs, headings,
    lists and tables, without code, math, HTML, URLs or e-mail addresses.

    The texts are counted as one, joined by spaces (a URL or a word never spans two)."""
    text = " ".join(
        child.content
        for token in tokens
        if token.type == "inline"
        for child in token.children or ()
        if child.type == "text"
    )
    if "://" in text or "www." in text or "@" in text:
        text = _URL.sub(" ", text)
    return sum(map(len, _HAN.findall(text))), len(_WORD.findall(text))


HAN_PER_MINUTE = 400  # Chinese is read at about 300-500 characters a minute
WORDS_PER_MINUTE = 230  # English at about 200-260 words


def reading_minutes(han: int, words: int) -> int:
    """Minutes to read a text of `han` Han characters and `words` Latin words (at least 1)."""
    return max(1, round(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE))


def language_of(han: int, words: int) -> str:
    """`zh-CN` when the text is mostly Han (more Han characters than Latin words), else `en`."""
    return "zh-CN" if han > words else "en"
