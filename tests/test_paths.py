"""Table tests for slugs, URLs and output paths."""

import pytest

from mlnotes_site.paths import (
    asset_url,
    encode_path,
    is_external,
    normalize_permalink,
    output_file,
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
