"""The notes' language, a derived view: Han characters and Latin words counted per note
(i18n.text_counts), summed over the vault; mostly Han text is `zh-CN`, anything else `en`.

Config `language:` overrides it (emit/render.py `Renderer.language`); when it is unset, the
interface follows this value, so `mlnotes serve` keeps it current: an update recounts only
the notes that changed or went away, and the pages render again when the value flips.
"""

from __future__ import annotations

from typing import Mapping

from ..i18n import language_of, text_counts
from ..model import Note


class NotesLanguage:
    """Note rel -> (Han characters, Latin words) of its text, and the language of the sum."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[Note, int, int]] = {}
        self.han = 0
        self.words = 0

    def update(self, notes: Mapping[str, Note], changed: frozenset[str]) -> str:
        """The language of `notes` after the notes `changed` (new, edited) and the ones gone."""
        for rel in [r for r in self.counts if r not in notes] + [r for r in changed if r in notes]:
            was = self.counts.pop(rel, None)
            if was is not None:
                self.han -= was[1]
                self.words -= was[2]
            note = notes.get(rel)
            if note is not None:
                han, words = text_counts(note.tokens)
                self.counts[rel] = (note, han, words)
                self.han += han
                self.words += words
        return language_of(self.han, self.words)
