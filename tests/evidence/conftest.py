"""Every evidence test writes its files under its own MEDIA_ROOT, so that "nothing was saved" can be checked."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def attach():
    """attach(actor, record, *jpeg_bytes) saves photos through the service, as a workstream form would."""
    from evidence.processing import process_upload
    from evidence.services import photos_attach
    from tests.evidence.images import upload

    def _attach(actor, record, *images: bytes, caption: str = ""):
        processed = [process_upload(upload(f"photo{n}.jpg", data)) for n, data in enumerate(images)]
        return photos_attach(actor=actor, record=record, photos=processed, caption=caption)

    return _attach
