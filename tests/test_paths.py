"""Table tests for slugs, URLs and output paths."""

import re

import pytest

from conftest import build_vault
from mlnotes_site.paths import (
    SEGMENT_BYTES,
    asset_url,
    encode_path,
    folder_url,
    is_external,
    normalize_permalink,
    output_file,
    permalink_problem,
    relative_url,
    slugify,
    source_relative,
    tag_url,
    unique_url,
)


@pytest.mark.parametrize(
    "text, slug",
    [
        ("利用键盘选定文本的快捷键", "利用键盘选定文本的快捷键"),
        ("Learning Rate Annealing", "learning-rate-annealing"),
        ("SFT->DPO/PPO", "sft-dpo-ppo"),
        ("？损失函数和优化函数（梯度下降）的使用", "损失函数和优化函数-梯度下降-的使用"),
        ("DALL·E 2", "dall-e-2"),
        ("6🈷️", "6月"),  # NFKC turns the squared 🈷 into 月
        ("  Mate  SAM 2: Segment  ", "mate-sam-2-segment"),
        ("ＦＵＬＬ　ｗｉｄｔｈ", "full-width"),
        ("？！。", "untitled"),
        ("", "untitled"),
        ("000_f3fb3bfe5328c0e8", "000_f3fb3bfe5328c0e8"),
        ("CPU/GPU推理加速", "cpu-gpu推理加速"),
        ("Café naïve", "café-naïve"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_fallback_is_used_only_when_empty():
    assert slugify("？？", fallback="topic") == "topic"
    assert slugify("a", fallback="topic") == "a"


def test_unique_url_disambiguates_and_avoids_reserved():
    taken: set[str] = set()
    assert unique_url("rag", taken) == "/rag/"
    assert unique_url("rag", taken) == "/rag-2/"
    assert unique_url("rag", taken) == "/rag-3/"
    assert unique_url("tags", taken) == "/tags-2/"
    assert unique_url("tags", taken, prefix="/notes/") == "/notes/tags/"


def test_folder_url_puts_a_shared_title_below_its_folder():
    taken: set[str] = set()
    assert folder_url("", "intro", taken) == "/intro/"
    assert folder_url("folder1", "intro", taken) == "/folder1/intro/"
    assert folder_url("folder1", "intro", taken) == "/folder1/intro-2/"
    assert folder_url("机器 学习/Deep Dive", "intro", taken) == "/机器-学习/deep-dive/intro/"
    assert folder_url("notes", "intro", taken) == "/notes-intro/"  # a section of the site
    assert folder_url("Tags/x", "intro", taken) == "/tags-x-intro/"
    assert folder_url("🙂", "intro", taken) == "/folder/intro/"  # never an empty segment


@pytest.mark.parametrize(
    "permalink, url",
    [
        ("/todo/", "/todo/"),
        ("todo", "/todo/"),
        ("/a/b", "/a/b/"),
        ("/feed.xml", "/feed.xml"),
        ("/../../etc", "/etc/"),
        ("/", "/"),
    ],
)
def test_normalize_permalink(permalink, url):
    assert normalize_permalink(permalink) == url


@pytest.mark.parametrize(
    "url, path",
    [("/", "index.html"), ("/a/", "a/index.html"), ("/sitemap.xml", "sitemap.xml"), ("/%E4%B8%AD/", "中/index.html")],
)
def test_output_file(url, path):
    assert output_file(url) == path


@pytest.mark.parametrize(
    "source, target, rel",
    [
        ("/a/", "/b/", "../b/"),
        ("/", "/b/", "b/"),
        ("/a/", "/a/", "./"),
        ("/a/", "/a/#x", "#x"),
        ("/a/", "/b/#x", "../b/#x"),
        ("/tags/x/", "/static/style.css", "../../static/style.css"),
        ("/a/", "/assets/my image.png", "../assets/my%20image.png"),
        ("/a/", "/利用/", "../利用/"),
        ("/404.html", "/b/", "b/"),
    ],
)
def test_relative_url(source, target, rel):
    assert relative_url(source, target) == rel


def test_encode_path_keeps_cjk_and_encodes_unsafe_ascii():
    assert encode_path("中 文#?%") == "中%20文%23%3F%25"


def test_tag_url_nested_and_cjk():
    assert tag_url("ML/优化") == "/tags/ml/优化/"
    assert tag_url("？") == "/tags/tag/"


def test_asset_and_source_paths():
    assert asset_url("sub", "../img/a.png") == "/assets/img/a.png"
    assert source_relative("sub", "../x.md") == "x.md"
    assert source_relative("", "../outside.md") is None
    assert source_relative("", "a%20b.md") == "a b.md"


@pytest.mark.parametrize(
    "target, external",
    [("https://x.org", True), ("mailto:a@b", True), ("//cdn", True), ("a.md", False), ("/todo/", False), ("#h", False)],
)
def test_is_external(target, external):
    assert is_external(target) is external


LONG_CJK = "利用键盘选定文本的快捷键" * 8 + "损失函数梯度"  # 102 characters, 306 UTF-8 bytes
LONG_EMOJI = "深度学习强化学习🚀" * 11 + "🎉"  # 100 characters: 88 CJK (264 bytes) kept, 12 emoji dropped


@pytest.mark.parametrize("title", [LONG_CJK, LONG_EMOJI, "a" * 300, "é" * 150, "e\u0301" * 150])
def test_long_slugs_are_cut_on_a_character_boundary_with_a_stable_hash(title):
    slug = slugify(title)
    assert len(slug.encode("utf-8")) <= SEGMENT_BYTES
    assert re.search(r"-[0-9a-f]{8}$", slug), slug
    assert slugify.__wrapped__(title) == slug  # deterministic, not an artefact of the cache
    assert slug.encode("utf-8").decode("utf-8") == slug


def test_long_slugs_that_share_a_beginning_stay_apart():
    assert slugify(LONG_CJK + "甲") != slugify(LONG_CJK + "乙")
    assert slugify("利用") == "利用"  # short slugs are untouched


def test_unique_url_suffix_keeps_the_segment_short():
    taken: set[str] = set()
    first, second = unique_url(slugify(LONG_CJK), taken), unique_url(slugify(LONG_CJK), taken)
    assert first != second and second.endswith("-2/")
    for url in (first, second):
        assert len(url.strip("/").encode("utf-8")) <= SEGMENT_BYTES


def test_long_titles_build_pages(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(f"# {LONG_CJK}\n\ntext\n", encoding="utf-8")
    (notes / "b.md").write_text(f"# {LONG_CJK}!\n\nsame slug, other title\n", encoding="utf-8")
    (notes / "c.md").write_text(f"# {LONG_EMOJI}\n\ntext #{'标签' * 100}\n", encoding="utf-8")
    out = tmp_path / "site"
    report = build_vault(notes, out)
    assert not [d for d in report.diagnostics if d.level == "error"]
    slug = slugify(LONG_CJK)
    assert (out / slug / "index.html").is_file()
    assert (out / unique_url(slug, {f"/{slug}/"}).strip("/") / "index.html").is_file()  # b.md: the same slug, -2
    assert (out / slugify(LONG_EMOJI) / "index.html").is_file()
    assert (out / tag_url("标签" * 100).strip("/") / "index.html").is_file()


@pytest.mark.parametrize(
    "tag, url",
    [("C++", "/tags/c-plus-plus/"), ("C#", "/tags/c-sharp/"), ("c", "/tags/c/"), ("F#/.NET", "/tags/f-sharp/net/")],
)
def test_tag_url_keeps_plus_and_sharp_as_words(tag, url):
    assert tag_url(tag) == url


def test_tag_url_parts_are_capped():
    url = tag_url("标签" * 100 + "/" + "子" * 100)
    assert all(len(part.encode("utf-8")) <= SEGMENT_BYTES for part in url.strip("/").split("/"))


@pytest.mark.parametrize(
    "permalink",
    [
        "javascript:alert(1)/**",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "\\\\evil\\x",
        "/a\\b/",
        "/a\x00b/",
        "/a\nb/",
        "/a/%0a/",
        "/../../etc/",
        "/a/%2e%2e/b/",
        "javascript%3Aalert(1)",
    ],
)
def test_unsafe_permalinks_are_refused(permalink):
    assert permalink_problem(permalink)


@pytest.mark.parametrize("permalink", ["/todo/", "todo", "/a/b.html", "/笔记/2023/", "/feed.xml", "/a:b/"])
def test_ordinary_permalinks_are_accepted(permalink):
    assert permalink_problem(permalink) is None


def test_relative_url_never_starts_with_a_scheme():
    assert relative_url("/", "/a:b/") == "./a:b/"
    assert relative_url("/x/", "/x/javascript:alert(1)/") == "./javascript:alert(1)/"
    assert relative_url("/a/", "/b:c/") == "../b:c/"
