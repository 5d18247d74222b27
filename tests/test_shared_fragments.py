"""Templates' `{% call shared(…) %}` fragments (emit/render.py `_shared`): a page given a
fragment another page rendered gets exactly the text it would have rendered itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASIC_VAULT, DEMO_VAULT, FIXTURES
from mlnotes_site.build import load
from mlnotes_site.config import load_config
from mlnotes_site.emit.render import Renderer


def _outputs(cfg) -> dict[str, bytes | None]:
    pipeline = load(cfg)
    pipeline.settle()
    return {rel: pipeline.output(rel) for rel in pipeline.manifest()}


@pytest.mark.parametrize("vault", [DEMO_VAULT, BASIC_VAULT, FIXTURES / "vaults" / "home-note"])
@pytest.mark.parametrize("file_urls", [False, True])
def test_shared_fragments_equal_each_page_rendering_its_own(vault: Path, file_urls: bool, tmp_path, monkeypatch):
    # small lists, so that the tracker and the list of topics have pages in their folders
    overrides = {"file_urls": file_urls, "tracker_page_items": 2, "home_page_topics": 2}
    cfg = load_config(None, notes=vault, out=tmp_path / "site", cwd=tmp_path, **overrides)
    shared = _outputs(cfg)
    monkeypatch.setattr(Renderer, "_shared", lambda self, url, absolute: lambda *key, caller: caller())
    assert _outputs(cfg) == shared
