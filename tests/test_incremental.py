"""The incremental path behind `mlnotes serve` (pipeline.py, graph/state.py): after any
sequence of edits, creations, renames, deletions, broken and fixed notes, theme files and
config changes, its output equals a clean build byte for byte, and an edit re-renders only
the pages whose output it changes."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import BASIC_VAULT
from mlnotes_site.build import build
from mlnotes_site.config import SiteConfig, load_config
from mlnotes_site.serve.live import LiveSite

# more with MLNOTES_FUZZ=N (N seeds of 100 steps each)
SEEDS = list(range(1, 1 + int(os.environ.get("MLNOTES_FUZZ", "0")))) or [1, 2]
STEPS = 100 if os.environ.get("MLNOTES_FUZZ") else 30
WORDS = ["梯度下降", "学习率", "注意力机制", "reward model", "cosine annealing", "显存", "量化", "the loss", "过拟合"]


class Kept(NamedTuple):
    """A broken note's last good version: its text, and its file's mtime then (the preview
    shows that version with its dates)."""

    text: str
    mtime_ns: int


def clean_output(
    notes: Path, tmp: Path, good: dict[Path, Kept] | None = None, config: str | None = None
) -> dict[str, bytes]:
    """Every file a fresh `mlnotes build` writes for `notes` (its marker file aside).

    With `good` (note path -> its last good version) or `config` (the last good config), the
    build is of a copy of the project where broken notes and config have their last good
    text: what the preview shows while they are broken."""
    out = tmp / "clean-site"
    shutil.rmtree(out, ignore_errors=True)
    if good is not None or config is not None:
        copy = tmp / "clean-project"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(notes, copy / "notes")
        for name in ("static", "templates"):
            if (notes.parent / name).is_dir():
                shutil.copytree(notes.parent / name, copy / name)
        for path, (text, mtime_ns) in (good or {}).items():
            kept = copy / "notes" / path.relative_to(notes)
            kept.write_text(text, encoding="utf-8")
            os.utime(kept, ns=(mtime_ns, mtime_ns))
        if config is not None:
            (copy / "mlnotes.yaml").write_text(config, encoding="utf-8")
        notes, cwd = copy / "notes", copy
    else:
        cwd = tmp
    report = build(load_config(None, notes=notes, out=out, cwd=cwd))
    assert report.site is not None
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != ".mlnotes-site"
    }


def diff(live: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    """Output paths that differ between the two, for an assertion message."""
    return sorted(k for k in live.keys() | clean.keys() if live.get(k) != clean.get(k))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    shutil.copytree(BASIC_VAULT, notes)
    return notes


def live_site(notes: Path, tmp: Path) -> LiveSite:
    def config() -> SiteConfig:
        return load_config(None, notes=notes, out=tmp / "never-written", cwd=tmp)

    live = LiveSite(config(), reload_config=config)
    live.start()
    return live


class Editor:
    """Random but reproducible edits of a vault, each returning the paths it touched."""

    def __init__(self, notes: Path, rng: random.Random) -> None:
        self.notes, self.rng, self.n = notes, rng, 0
        self.broken: dict[Path, Kept] = {}  # a note with invalid front matter -> its last good version
        self.config_file = notes.parent / "mlnotes.yaml"
        self.config = self.config_file.read_text(encoding="utf-8") if self.config_file.is_file() else None

    def md_files(self) -> list[Path]:
        """The notes other ops may touch (broken ones wait to be fixed)."""
        return sorted(
            p
            for p in self.notes.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(self.notes).parts) and p not in self.broken
        )

    def break_note(self) -> list[Path]:
        """Invalid front matter: the preview keeps the note's last good version."""
        path = self.rng.choice(self.md_files())
        text = path.read_text(encoding="utf-8-sig")
        self.broken[path] = Kept(text, path.stat().st_mtime_ns)
        path.write_text("---\ntitle: [unclosed\n---\n" + text + f"\n{self.text()}\n", encoding="utf-8")
        return [path]

    def fix_note(self) -> list[Path]:
        if not self.broken:
            return self.break_note()
        path = self.rng.choice(sorted(self.broken))
        text = self.broken.pop(path).text + f"\n{self.text()}\n"
        path.write_text(text, encoding="utf-8")
        return [path]

    def edit_static(self) -> list[Path]:
        """A theme file of the project: a new or changed stylesheet."""
        self.n += 1
        folder = self.notes.parent / "static"
        folder.mkdir(exist_ok=True)
        path = folder / f"fuzz-{self.rng.randint(1, 2)}.css"
        path.write_text(f"/* {self.n} */ body {{ margin: {self.n}px }}\n", encoding="utf-8")
        return [path]

    def edit_config(self) -> list[Path]:
        """The config file: a new title or mentions on/off, sometimes invalid until the next edit."""
        self.n += 1
        if self.config is not None and self.rng.random() < 0.25:
            self.config_file.write_text("title: [unclosed\n", encoding="utf-8")  # kept: the last good config
            return [self.config_file]
        autolink = "false" if self.rng.random() < 0.3 else "true"
        self.config = f"title: Fuzz {self.n}\nautolink: {autolink}\n"
        self.config_file.write_text(self.config, encoding="utf-8")
        return [self.config_file]

    def titles(self) -> list[str]:
        found = []
        for p in self.md_files():
            found += [
                line[2:].strip() for line in p.read_text(encoding="utf-8-sig").splitlines() if line.startswith("# ")
            ]
        return found or ["Nothing"]

    def text(self) -> str:
        self.n += 1
        r = self.rng
        pieces = [r.choice(WORDS), f"第{self.n}行"]
        choice = r.random()
        if choice < 0.2:
            pieces.append(f"[[{r.choice(self.titles())}]]")
        elif choice < 0.35:
            pieces.append(f"提到 {r.choice(self.titles())} 的地方")
        elif choice < 0.45:
            pieces.append(f"- [ ] task {self.n}")
        elif choice < 0.55:
            pieces.append(f"#tag{r.randint(1, 3)}")
        elif choice < 0.62:
            pieces.append("https://arxiv.org/abs/2305.13230")
        elif choice < 0.68:
            pieces.append(f"![[{r.choice(self.titles())}]]")
        elif choice < 0.72:
            pieces.append("![图](img/curve.png)")
        elif choice < 0.75:  # a diagram: the site copies the vendored mermaid only while one exists
            return f"\n```mermaid\ngraph TD\n  A{self.n}-->B\n```\n"
        elif choice < 0.78:  # a heading with a formula: MathML in the table of contents
            return f"\n## 公式 $x_{{{self.n}}}$ 与 $\\text{{if $y>0$}}$\n"
        return " ".join(pieces) if not pieces[-1].startswith("- [ ]") else pieces[-1]

    def edit_body(self) -> list[Path]:
        path = self.rng.choice(self.md_files())
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        first = lines.index("---", 1) + 1 if lines and lines[0] == "---" and "---" in lines[1:] else 0
        at = self.rng.randint(first, len(lines))  # never inside front matter
        lines.insert(at, self.text())
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [path]

    def delete_line(self) -> list[Path]:
        path = self.rng.choice(self.md_files())
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        body = [
            i
            for i, line in enumerate(lines)
            if line.strip() and not line.startswith(("#", "---")) and ":" not in line[:12]
        ]
        if body:
            del lines[self.rng.choice(body)]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [path]

    def retitle(self) -> list[Path]:
        path = self.rng.choice(self.md_files())
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        heads = [i for i, line in enumerate(lines) if line.startswith("#")]
        self.n += 1
        if heads:
            i = self.rng.choice(heads)
            # sometimes another topic's title: the two become one page with two places
            title = self.rng.choice(self.titles()) if self.rng.random() < 0.3 else f"{self.rng.choice(WORDS)} {self.n}"
            lines[i] = lines[i].split(" ")[0] + f" {title}"
        else:
            lines.insert(0, f"## 新小节 {self.n}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [path]

    def create(self) -> list[Path]:
        self.n += 1
        folder = self.notes / self.rng.choice(["", "sub", "新目录"])
        folder.mkdir(exist_ok=True)
        path = folder / f"new-{self.n}.md"
        title = (
            self.rng.choice(self.titles()) if self.rng.random() < 0.25 else f"新笔记 {self.n}"
        )  # a repeated title merges
        body = [f"# {title}", self.text(), self.text()]
        if self.rng.random() < 0.3:
            body += [f"# 第二个话题 {self.n}", self.text()]
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        return [path]

    def delete(self) -> list[Path]:
        files = self.md_files()
        if len(files) <= 3:
            return self.create()
        path = self.rng.choice(files)
        path.unlink()
        return [path]

    def rename(self) -> list[Path]:
        self.n += 1
        path = self.rng.choice(self.md_files())
        target = self.notes / self.rng.choice(["", "sub"]) / f"renamed-{self.n}.md"
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
        return [path, target]

    def move_folder(self) -> list[Path]:
        self.n += 1
        sub = self.notes / "sub"
        if not sub.is_dir():
            return self.create()
        target = self.notes / f"moved-{self.n}"
        sub.rename(target)
        target.rename(sub)  # and back: folder events, same files (watchers report both)
        return [sub, target]

    def touch(self) -> list[Path]:
        """Another modification time, the same bytes: only the note's dates change."""
        path = self.rng.choice(self.md_files())
        moment = self.rng.randint(1_580_000_000, 1_750_000_000) * 1_000_000_000 + self.rng.randint(0, 999)
        os.utime(path, ns=(moment, moment))
        return [path]

    def redate(self) -> list[Path]:
        """Front matter `updated:` set, changed, removed or made unreadable (a warning)."""
        path = self.rng.choice(self.md_files())
        text = path.read_text(encoding="utf-8-sig")
        lines = text.split("\n")
        kept = [line for line in lines if not line.startswith("updated:")]
        if self.rng.random() < 0.2:
            value = None
        elif self.rng.random() < 0.1:
            value = "someday"
        else:
            value = f"20{self.rng.randint(10, 29)}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}"
        if kept and kept[0] == "---":
            if value is not None:
                kept.insert(1, f"updated: {value}")
            text = "\n".join(kept)
        elif value is not None:
            text = f"---\nupdated: {value}\n---\n" + text
        path.write_text(text, encoding="utf-8")
        return [path]

    def toggle_draft(self) -> list[Path]:
        fronted = [p for p in self.md_files() if p.read_text(encoding="utf-8-sig").startswith("---\n")]
        if not fronted:
            return self.edit_body()
        path = self.rng.choice(fronted)
        text = path.read_text(encoding="utf-8-sig")
        text = (
            text.replace("draft: true\n", "")
            if "draft: true\n" in text
            else text.replace("---\n", "---\ndraft: true\n", 1)
        )
        path.write_text(text, encoding="utf-8")
        return [path]

    def step(self) -> tuple[str, list[Path]]:
        ops = [
            (self.edit_body, 8),
            (self.delete_line, 3),
            (self.retitle, 2),
            (self.create, 2),
            (self.delete, 1),
            (self.rename, 1),
            (self.move_folder, 1),
            (self.toggle_draft, 1),
            (self.touch, 2),
            (self.redate, 1),
            (self.break_note, 1),
            (self.fix_note, 1),
            (self.edit_static, 1),
            (self.edit_config, 1),
        ]
        op = self.rng.choices([f for f, _ in ops], [w for _, w in ops])[0]
        return op.__name__, op()


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_keep_the_preview_equal_to_a_clean_build(vault: Path, tmp_path: Path, seed: int) -> None:
    (tmp_path / "mlnotes.yaml").write_text("title: Fuzz\n", encoding="utf-8")
    live = live_site(vault, tmp_path)
    assert not diff(live.output(), clean_output(vault, tmp_path))
    editor = Editor(vault, random.Random(seed))
    kinds = {"fast": 0, "structural": 0}
    for step in range(STEPS):
        name, paths = editor.step()
        report = live.update(paths)
        kinds["structural" if report.full else "fast"] += 1
        problems = {Path(d.path).name for d in report.errors}
        assert {p.name for p in editor.broken} <= problems, f"step {step}: broken notes are reported"
        assert ("mlnotes.yaml" in problems) == (editor.config_file.read_text(encoding="utf-8") != editor.config)
        differing = diff(live.output(), clean_output(vault, tmp_path, editor.broken, editor.config))
        assert not differing, f"step {step} ({name} {[p.name for p in paths]}): {differing}"
    print(f"seed {seed}: {kinds}")
    assert kinds["fast"] >= 5 and kinds["structural"] >= 5  # both paths were exercised


def test_an_edit_renders_again_only_the_pages_it_changes(vault: Path, tmp_path: Path) -> None:
    live = live_site(vault, tmp_path)
    before = live.output()
    note = vault / "collection.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n新的一行，提到 Adam 优化器。\n", encoding="utf-8")
    report = live.update([note])
    assert not report.full  # a text-only edit
    after = live.output()
    changed = {"/" + k.removesuffix("index.html") for k in after if before.get(k) != after[k]}
    rendered = set(live.rendered_urls)
    assert changed <= rendered  # nothing stale …
    site = live.site
    own = {site.topics[k].url for k in site.note_topics["collection.md"]} | {site.note_pages["collection.md"].url}
    # … and besides the pages that changed, only the edited note's own pages and the pages
    # made of every note (home, tracker, graph.json) were rendered again
    assert rendered - changed <= own | {"/", "/tasks/", "/graph.json"}, rendered - changed
    assert "/adam-优化器/" in changed  # its "Mentioned in" list gained the edited page
    assert "/part-one/" not in rendered


def test_a_broken_note_keeps_its_last_good_version_until_fixed(vault: Path, tmp_path: Path) -> None:
    live = live_site(vault, tmp_path)
    good = live.output()
    note = vault / "split.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("title: Split Note", "title: [unclosed"), encoding="utf-8")
    report = live.update([note])
    assert [(d.path, d.line) for d in report.errors] == [("split.md", 3)]
    assert live.output() == good  # still the last good pages
    note.write_text(text.replace("one", "one, fixed"), encoding="utf-8")
    report = live.update([note])
    assert not report.errors
    assert not diff(live.output(), clean_output(vault, tmp_path))


def test_templates_and_static_files_changes(vault: Path, tmp_path: Path) -> None:
    project = vault.parent
    (project / "templates").mkdir()
    (project / "static").mkdir()
    live = live_site(vault, tmp_path)
    version = live.version("/")
    # a new static file: the same pages, but every page reports a new version (to reload)
    css = project / "static" / "extra.css"
    css.write_text("body { color: red }\n", encoding="utf-8")
    live.update([css])
    assert live.version("/") != version
    assert live.response("/static/extra.css").body == css.read_bytes()
    # a broken template: errors with file and line, the last good pages stay
    good = live.output()
    broken = project / "templates" / "404.html"
    broken.write_text("{% extends 'base.html' %}\n{% block main %}{{ oops( }}{% endblock %}\n", encoding="utf-8")
    report = live.update([broken])
    assert [(Path(d.path).name, d.line) for d in report.errors] == [("404.html", 2)]
    assert live.output() == good
    broken.write_text("{% extends 'base.html' %}\n{% block main %}<p>lost</p>{% endblock %}\n", encoding="utf-8")
    report = live.update([broken])
    assert not report.errors and b"<p>lost</p>" in live.response("/404.html").body
    assert not diff(live.output(), clean_output(vault, tmp_path))


def test_graph_json_is_one_more_page_of_the_pipeline(vault: Path, tmp_path: Path) -> None:
    live = live_site(vault, tmp_path)
    assert live.response("/graph.json").body == clean_output(vault, tmp_path)["graph.json"]
    renders = live.renders
    live.response("/graph.json")
    assert live.renders == renders  # kept while the site is the same
    note = vault / "plain note.md"
    note.write_text("now it mentions Adam 优化器 and [[Part One]]\n", encoding="utf-8")
    live.update([note])
    assert live.response("/graph.json").body == clean_output(vault, tmp_path)["graph.json"]
    assert "/graph.json" in live.rendered_urls


def test_idle_time_computes_what_updates_leave_for_later(vault: Path, tmp_path: Path) -> None:
    live = live_site(vault, tmp_path)
    assert live.site.related.stale  # rows are computed when read, or when the server is idle
    while live.idle(0.001):
        pass
    assert not live.site.related.stale
    note = vault / "whole.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n梯度下降 and cosine annealing\n", encoding="utf-8")
    live.update([note])
    assert live.site.related.stale and not live.idle(10)
    assert not diff(live.output(), clean_output(vault, tmp_path))


def test_graph_json_is_made_from_a_snapshot_outside_the_lock(vault: Path, tmp_path: Path) -> None:
    """Pages whose text is made from frozen data (graph.json) come as a job the server runs
    without its lock; an update made meanwhile does not change what the job makes."""
    live = live_site(vault, tmp_path)
    clean = clean_output(vault, tmp_path)["graph.json"]
    job = live.prepare("/graph.json")
    assert callable(job)
    note = vault / "plain note.md"
    note.write_text("now it mentions Adam 优化器 and [[Part One]]\n", encoding="utf-8")
    live.update([note])
    assert job() == clean  # the version it was asked for, not half of the next one
    assert live.prepare("/topics-that-do-not-exist/") is None
    assert live.prepare("/") is None  # a template page is made the ordinary way
    body = live.response("/graph.json").body
    assert body == clean_output(vault, tmp_path)["graph.json"] != clean
    assert live.prepare("/graph.json") is None  # kept until the next update


def test_a_second_heading_of_the_same_name_removes_the_mention_target(vault: Path, tmp_path: Path) -> None:
    """A heading section is a mention target only while no other heading of the vault has
    its name: an edit elsewhere adds or removes the target."""
    (vault / "paper.md").write_text("# 论文\n\n## 梯度累积技巧\n小显存也能用大 batch。\n", encoding="utf-8")
    (vault / "reader.md").write_text("# 读后感\n\n显存不够时用梯度累积技巧。\n", encoding="utf-8")
    live = live_site(vault, tmp_path)

    def targets() -> set[str]:
        return {m.target.href for ms in live.site.mentions.values() for m in ms if m.key == "梯度累积技巧"}

    assert targets() == {"/论文/#梯度累积技巧"}
    other = vault / "other.md"
    steps = [
        (other, "# 别的笔记\n\n## 梯度累积技巧\n", set()),  # a new note: an empty section of that name
        (other, "# 别的笔记\n\n## 梯度检查点\n", {"/论文/#梯度累积技巧"}),  # renamed
        (vault / "whole.md", None, set()),  # an existing note gains one
        (vault / "whole.md", "", {"/论文/#梯度累积技巧"}),  # … and loses it
    ]
    whole = (vault / "whole.md").read_text(encoding="utf-8")
    for path, text, want in steps:
        if path.name == "whole.md":
            text = whole + "\n## 梯度累积技巧\n又一节。\n" if text is None else whole
        path.write_text(text, encoding="utf-8")
        live.update([path])
        assert targets() == want, (path.name, text)
        assert not diff(live.output(), clean_output(vault, tmp_path))
