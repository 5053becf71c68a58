"""Production's static files storage: whitenoise's hashed URLs, each looked up once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from config.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path: Path) -> StaticFilesStorage:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1"})
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_the_hashed_url_is_the_manifests_and_looked_up_once(
    storage: StaticFilesStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[Any] = []
    real = CompressedManifestStaticFilesStorage.url

    def counting(self: Any, name: Any, force: bool = False) -> Any:
        looked_up.append(name)
        return real(self, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", counting)
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert looked_up == ["css/site.css"]


def test_a_file_missing_from_the_manifest_is_refused_every_time(
    storage: StaticFilesStorage,
) -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/missing.js")


def test_production_settings_use_it(settings: Any) -> None:
    import config.settings as production

    assert (
        production.DEBUG
        or production.STORAGES["staticfiles"]["BACKEND"] == "config.storage.StaticFilesStorage"
    )
