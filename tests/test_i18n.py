"""The interface in the reader's language (issue 15 item 2): message catalogues, the
language chosen by config or from the notes, and no interface word outside a catalogue."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, build_vault
from mlnotes_site import i18n
from mlnotes_site.config import load_config
from mlnotes_site.errors import ConfigError
from mlnotes_site.i18n import PLURAL_RULES, PLURAL_RULES_JS, catalogue, is_plural, messages
from mlnotes_site.markdown.tasks import STATUS
from mlnotes_site.pipeline import Pipeline

SRC = REPO / "src" / "mlnotes_site"
TEMPLATES = REPO / "templates"
STATIC = REPO / "static"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
LANGUAGES = i18n.available()
HAN = re.compile(r"[\u3400-\u9fff]")


# -- the catalogues ------------------------------------------------------------------------


def _placeholders(value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def test_there_are_english_and_chinese_catalogues_inside_the_package():
    assert {"en", "zh-CN"} <= set(LANGUAGES)
    folder = Path(i18n.__file__).parent  # inside the package: the wheel ships it (hatch packages)
    assert (folder / "en.yaml").is_file() and (folder / "zh-CN.yaml").is_file()
    assert 'packages = ["src/mlnotes_site"]' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_catalogue_has_every_english_key_with_the_same_placeholders(language):
    english, other = catalogue("en"), catalogue(language)
    assert sorted(set(english) - set(other)) == [], f"{language}.yaml lacks these keys"
    assert sorted(set(other) - set(english)) == [], f"{language}.yaml has keys English does not"
    for key, value in other.items():
        assert _placeholders(value) == _placeholders(english[key]), f"{language}.yaml {key}: placeholders differ"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_the_ones_the_language_rule_uses(language):
    table = catalogue(language)
    rule = table["meta.plural"]
    assert rule in PLURAL_RULES and rule in PLURAL_RULES_JS
    forms = {PLURAL_RULES[str(rule)](n) for n in range(0, 200)}
    for key, value in table.items():
        assert value, f"{language}.yaml {key} is empty"
        if isinstance(value, dict):
            assert is_plural(value)
            assert set(value) == forms, f"{language}.yaml {key}: forms {sorted(value)}, the rule uses {sorted(forms)}"
            assert all(value.values()), f"{language}.yaml {key}: an empty form"


def test_plural_and_placeholders():
    en, zh = messages("en"), messages("zh-CN")
    assert en.t("home.questions", n=1) == "1 open question"
    assert en.t("home.questions", n=2) == "2 open questions"
    assert zh.t("home.questions", n=1) == "1 个待解决的问题"
    assert str(zh.html("not_found.text", topics="<a>", tags="x")) == "这个页面不存在（或已被移走）。试试&lt;a&gt;或x。"


def test_a_missing_key_falls_back_to_english_and_english_lacks_none(tmp_path, monkeypatch):
    (tmp_path / "en.yaml").write_text((SRC / "i18n" / "en.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "xx.yaml").write_text("meta:\n  plural: other\nnav:\n  topics: Themen\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "_FOLDER", tmp_path)
    i18n.catalogue.cache_clear()
    i18n.messages.cache_clear()
    try:
        assert i18n.available() == ("en", "xx")
        words = i18n.messages("xx")
        assert words.t("nav.topics") == "Themen"
        assert words.t("nav.tags") == "Tags"  # from English, never ""
        assert words.t("home.questions", n=2) == "2 open questions"  # English forms, xx's rule
        with pytest.raises(KeyError):
            words.t("nav.no_such_key")  # not even English has it: an error, never an empty string
    finally:
        i18n.catalogue.cache_clear()
        i18n.messages.cache_clear()


def test_the_configured_language_must_have_a_catalogue(tmp_path):
    (tmp_path / "notes").mkdir()
    config = tmp_path / "mlnotes.yaml"
    config.write_text("language: fr\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config, cwd=tmp_path)
    assert "key 'language'" in str(raised.value) and "en, zh-CN" in str(raised.value)
    config.write_text("language: zh-cn\n", encoding="utf-8")
    assert load_config(config, cwd=tmp_path).language == "zh-CN"
    config.write_text("language: ''\n", encoding="utf-8")
    assert load_config(config, cwd=tmp_path).language == ""


# -- no interface word outside the catalogues -----------------------------------------------

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
WORDY = re.compile(r"[A-Za-z]{2,}|[\u3400-\u9fff]")
ATTRS = ("title", "aria-label", "placeholder", "alt")


class _Text(HTMLParser):
    """Text nodes and shown attributes of a template with its Jinja parts removed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.found += [value for name, value in attrs if name in ATTRS and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.found.append(data)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_show_no_words_of_their_own(template):
    parser = _Text()
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    text = re.sub(r"\{% block \w+_class %\}.*?\{% endblock %\}", "", text)  # a class name, inside an attribute
    parser.feed(JINJA.sub(" ", text))
    words = [text.strip() for text in parser.found if WORDY.search(text)]
    assert words == [], f"{template}: interface text outside the catalogues"


# a string literal shown to the reader: assigned to textContent/title/placeholder, set as an
# aria-label/title/placeholder, or the text of an element made by search.js's el()
SHOWN_JS = re.compile(
    r"""(?:\.(?:textContent|title|placeholder|ariaLabel)\s*=\s*(?P<a>[^;]*))"""
    r"""|(?:setAttribute\(\s*["'](?:aria-label|title|placeholder|alt)["']\s*,\s*(?P<b>[^)]*)\))"""
    r"""|(?:\bel\([^,()]+,[^,()]+,\s*(?P<c>[^)]*)\))"""
    r"""|(?:\bshow\(button,\s*(?P<d>[^)]*)\))"""
)
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


SCRIPTS = {p.name: p for p in [*STATIC.glob("*.js"), *SRC.rglob("*.js")]}  # the theme's and serve's


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_scripts_show_no_words_of_their_own(script):
    text = SCRIPTS[script].read_text(encoding="utf-8")
    code = re.sub(r"^\s*//.*$", "", text, flags=re.M)
    problems = []
    for literal in LITERAL.finditer(code):  # no Chinese in a script at all
        if HAN.search(literal.group(0)):
            problems.append(literal.group(0))
    for shown in SHOWN_JS.finditer(code):
        expr = next(g for g in shown.groups() if g is not None)
        expr = re.sub(r"\bt\((\"[^\"]*\"|[^,)]*)", "t(", expr)  # a key is no text
        problems += [m.group(0) for m in LITERAL.finditer(expr) if re.search(r"[A-Za-z]{2,}", m.group(0))]
    assert problems == [], f"{script}: text shown to readers outside the catalogue"


def test_python_markup_and_the_style_sheet_show_no_words_of_their_own():
    problems = []
    for path in sorted((SRC / "markdown").glob("*.py")) + sorted((SRC / "emit").glob("*.py")):
        for m in re.finditer(r'(?:title|aria-label|alt|placeholder)="([^"{]*)"', path.read_text(encoding="utf-8")):
            if re.search(r"[A-Za-z]{2,}", m.group(1)):
                problems.append(f"{path.name}: {m.group(0)}")
    for m in re.finditer(r'content:\s*"([^"]*)"', (STATIC / "style.css").read_text(encoding="utf-8")):
        if re.search(r"[A-Za-z]{2,}", m.group(1)):
            problems.append(f"style.css: {m.group(0)}")
    assert problems == []


# keys made at run time from a prefix and a value: prefix -> the values it takes
DYNAMIC = {
    "status.": set(STATUS.values()) | {"other"},
    "graph.kind.": {"link", "mention", "reference", "related", "tag", "note"},
    "related.": {"cite", "tagged", "text", "text_terms"},
    "pager.": {"top", "bottom"},
}


def _sources() -> str:
    files = [*TEMPLATES.glob("*.html"), *STATIC.glob("*.js"), *SRC.rglob("*.py"), *SRC.rglob("*.js")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_key_is_used():
    text = _sources()
    quoted = set(re.findall(r"""["']([a-z_]+(?:\.[a-z_-]+)+)["']""", text))
    unused = []
    for key in catalogue("en"):
        if key.startswith("meta."):  # read by i18n itself (the plural rule)
            continue
        if key in quoted or (key.startswith("js.") and key[3:] in quoted):
            continue
        family = next((p for p in DYNAMIC if key.startswith(p) and key[len(p) :] in DYNAMIC[p]), None)
        if family is not None and (f"'{family}' ~" in text or f'"{family}{{' in text or f'f"{family}{{' in text):
            continue
        unused.append(key)
    assert unused == []


def test_dynamic_families_match_the_code():
    from mlnotes_site.graph.related import RelatedIndex

    assert {k.removeprefix("status.") for k in catalogue("en") if k.startswith("status.")} == DYNAMIC["status."]
    kinds = re.search(r"for kind in \(([^)]*)\)", (TEMPLATES / "_macros.html").read_text(encoding="utf-8"))
    assert kinds and set(re.findall(r'"(\w+)"', kinds.group(1))) == DYNAMIC["graph.kind."]
    source = Path(RelatedIndex.__module__.replace(".", "/") + ".py")
    reasons = re.findall(r'return "(\w+)", ', (SRC / "graph" / source.name).read_text(encoding="utf-8"))
    assert set(reasons) == DYNAMIC["related."]


# -- the language of a site ----------------------------------------------------------------


def _interface(page: str) -> str:
    """A page without the notes' own text: head, scripts, Markdown bodies, task texts, links."""
    page = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", page, flags=re.S)
    page = re.sub(r'<div class="markdown">.*?\n  </div>', " ", page, flags=re.S)
    page = re.sub(r'<span class="task-text">.*?</span>\n', " ", page, flags=re.S)
    page = re.sub(r"<a [^>]*>.*?</a>", "<a>", page, flags=re.S)  # links name pages (nav links: checked apart)
    return page


def _english_phrases() -> list[str]:
    """Every English message of two words or more, cut at its placeholders."""
    phrases = []
    for key, value in catalogue("en").items():
        if key.startswith(("meta.", "js.")):
            continue
        for text in value.values() if isinstance(value, dict) else [value]:
            for part in PLACEHOLDER.split(text)[::2]:
                part = part.strip(" :·()←→.,;'\"")
                if len(re.findall(r"[A-Za-z]+", part)) >= 2:
                    phrases.append(part)
    return phrases


SEED_PAGES = ("index.html", "tasks/index.html", "search/index.html", "clip/index.html", "404.html", "graph/index.html")


def test_the_seed_site_without_config_is_chinese_throughout(seed_site):
    out, report = seed_site
    assert report.language == "zh-CN" and report.language_detected
    assert "language: zh-CN (detected from the notes" in report.summary()
    zh = messages("zh-CN")
    for name in SEED_PAGES:
        page = (out / name).read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in page and 'content="zh_CN"' in page, name
        assert f">{zh.t('nav.topics')}</a>" in page and zh.t("nav.skip") in page, name
        shown = html.unescape(_interface(page))
        found = [p for p in _english_phrases() if p in shown]
        assert found == [], f"{name}: English interface text on a Chinese site"
    topic = (out / "clip" / "index.html").read_text(encoding="utf-8")
    assert zh.t("topic.toc") in topic and zh.t("nav.footer") in topic
    tasks = (out / "tasks" / "index.html").read_text(encoding="utf-8")
    for key in ("tracker.title", "tracker.filter_status", "tracker.filter_all_topics", "tracker.by_note"):
        assert zh.t(key) in tasks, key
    assert f"<title>{zh.t('tracker.title')} · " in tasks and 'content="待办追踪"' in tasks  # and og:title
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{zh.t('search.title')} · " in search
    script = (out / "static" / "messages.js").read_text(encoding="utf-8")
    assert '"copy.button":"复制"' in script and 'var language = "zh-CN"' in script


def test_the_seed_site_with_language_en_is_english_throughout(seed_notes, tmp_path):
    out = tmp_path / "site"
    report = build_vault(seed_notes, out, language="en")
    assert report.language == "en" and not report.language_detected and "detected" not in report.summary()
    en, zh = messages("en"), messages("zh-CN")
    chinese = [
        str(v) for k, v in catalogue("zh-CN").items() if isinstance(v, str) and len(HAN.findall(v)) >= 4
    ]  # long enough not to be the notes' own words
    for name in SEED_PAGES:
        page = (out / name).read_text(encoding="utf-8")
        assert '<html lang="en">' in page and 'content="en"' in page, name
        assert f">{en.t('nav.topics')}</a>" in page and en.t("nav.skip") in page, name
        shown = html.unescape(_interface(page))
        assert [c for c in chinese if PLACEHOLDER.split(c)[0] and PLACEHOLDER.split(c)[0] in shown] == [], name
        assert zh.t("nav.skip") not in page
    tasks = (out / "tasks" / "index.html").read_text(encoding="utf-8")
    assert "TODO tracker" in tasks and "all topics" in tasks


def _vault(folder: Path, texts: dict[str, str]) -> Path:
    notes = folder / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (notes / name).write_text(text, encoding="utf-8")
    return notes


ENGLISH = (
    "# Gradient descent\n\nGradient descent takes small steps against the gradient of the loss. "
    "See https://例子.com/很多中文.\n"  # a URL's Han characters do not count
)
CHINESE = "# 梯度下降\n\n梯度下降沿着损失函数梯度的反方向，每次走一小步，直到收敛。学习率 learning rate 决定步长。\n"


@pytest.mark.parametrize(
    "texts, language",
    [
        ({"a.md": ENGLISH, "b.md": ENGLISH.replace("Gradient", "Newton")}, "en"),
        ({"a.md": CHINESE, "b.md": ENGLISH}, "zh-CN"),
        ({"a.md": "```\n中文代码注释中文代码注释中文代码注释\n```\n\nplain words only\n"}, "en"),  # code: not counted
        ({}, "en"),
    ],
)
def test_the_language_is_detected_from_the_notes(tmp_path, texts, language):
    notes = _vault(tmp_path, texts)
    report = build_vault(notes, tmp_path / "site")
    assert report.language == language and report.site is not None and report.site.language == language
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in index


def test_serve_follows_the_notes_when_their_language_flips(tmp_path):
    notes = _vault(tmp_path, {"a.md": ENGLISH, "b.md": "# Other\n\nSome more English words here.\n"})
    cfg = load_config(None, notes=notes, out=tmp_path / "site", cwd=tmp_path)
    live = Pipeline(cfg, serve=True)
    live.load()
    page = live.render("/gradient-descent/") or b""
    assert live.last.language == "en" and b'lang="en"' in page and b"Linked from" not in page
    assert b"No page links here yet." in page
    (notes / "b.md").write_text(CHINESE * 3, encoding="utf-8")
    live.update([notes / "b.md"])
    assert live.last.language == "zh-CN"
    flipped = {url: live.render(url) for url in live.page_urls()}
    fresh = Pipeline(cfg)
    fresh.load()
    assert flipped == {url: fresh.render(url) for url in fresh.page_urls()}  # as a clean build
    assert "还没有页面链接到这里。".encode() in (flipped["/gradient-descent/"] or b"")
    (notes / "b.md").write_text("# Other\n\nEnglish again, many many words in this note now.\n", encoding="utf-8")
    live.update([notes / "b.md"])
    assert live.last.language == "en" and b'lang="en"' in (live.render("/gradient-descent/") or b"")
    assert b'"copy.button":"Copy"' in (live.render("/static/messages.js") or b"")


def test_dates_are_written_the_languages_way(tmp_path):
    """Issue 15 item 2 ("dates"): a front-matter date shows as 2023年6月9日 or 9 June 2023,
    with the ISO date kept in <time datetime>; text that is no date is shown as written."""
    from mlnotes_site.i18n import messages

    assert messages("zh-CN").date("2023-06-09") == "2023年6月9日"
    assert messages("en").date("2023-06-09") == "9 June 2023"
    assert messages("en").date("2023-06-09T10:00") == "9 June 2023"
    assert messages("en").date("spring 2023") == "spring 2023"
    assert messages("en").date("2023-13-01") == "2023-13-01"
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\ntitle: 日期\ndate: 2023-06-09\n---\n\n这是中文的笔记内容。\n", encoding="utf-8")
    for language, shown in (("zh-CN", "2023年6月9日"), ("en", "9 June 2023")):
        out = tmp_path / language
        build_vault(notes, out, language=language)
        page = (out / "日期" / "index.html").read_text(encoding="utf-8")
        assert f'<time datetime="2023-06-09">{shown}</time>' in page
