"""404.html: served for any missing URL, so its links are absolute under the base path."""

from __future__ import annotations

from .. import urls
from .render import Emitter, PageSpec, Renderer, one


def describe(r: Renderer, what: None) -> PageSpec:
    """The not-found page."""
    return r.spec("404.html", urls.NOT_FOUND, r.messages.t("not_found.title"), absolute=True)


EMITTER = Emitter("404", one(urls.NOT_FOUND), describe)
