"""`/static/messages.js`: the words the scripts in static/ show, in the site's language.

It holds the catalogue's `js.` messages and the language's plural rule, and defines
`window.mlnT(key, values)`: the message with its `{name}` placeholders filled (numbers
written the language's way), `values.n` choosing a plural form. Every page loads it before
its other scripts (templates/base.html), so it works from `file://` and is cached once.
"""

from __future__ import annotations

from .. import urls
from ..i18n import PLURAL_RULES_JS, Messages
from ..paths import safe_json
from .render import Emitter, PageSpec, Renderer, What, one

_SCRIPT = """// The interface's words for the scripts, in %(language)s (made from the message catalogue)
(function () {
  "use strict";
  var messages = %(messages)s;
  var plural = %(plural)s;
  var language = %(language_json)s;
  window.mlnT = function (key, values) {
    values = values || {};
    var m = messages[key];
    if (m === undefined) return key;
    if (typeof m !== "string") m = m[plural(values.n)] || m.other;
    return m.replace(/\\{([a-z_]+)\\}/g, function (all, name) {
      var v = values[name];
      if (v === undefined) return all;
      return typeof v === "number" ? v.toLocaleString(language) : String(v);
    });
  };
})();
"""


def script(words: Messages) -> str:
    """The text of messages.js for `words`."""
    data = words.scripts()
    return _SCRIPT % {
        "language": data["language"],
        "language_json": safe_json(data["language"]),
        "messages": safe_json(data["messages"], compact=True),
        "plural": PLURAL_RULES_JS[data["plural"]],
    }


def describe(r: Renderer, what: What) -> PageSpec:
    """The script: its description is its text (a new language, a new file)."""
    text = script(r.messages)
    return PageSpec(urls.MESSAGES, "", "", {"text": text}, make=lambda: text)


EMITTER = Emitter("messages", one(urls.MESSAGES), describe)
