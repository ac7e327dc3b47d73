"""Photo names with an executable extension anywhere (double extensions included) are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evidence.processing import process_upload
from tests.evidence.images import jpeg, upload


@pytest.mark.parametrize(
    "name",
    [
        "double-extension.jpg.php",
        "x.php.jpg",
        "photo.exe",
        "a.js",
        "page.html",
        "logo.svg",
        "IMG_1.JPG.PHTML",
    ],
)
def test_a_real_jpeg_with_an_executable_name_is_refused_in_chinese(name):
    with pytest.raises(ValidationError) as refused:
        process_upload(upload(name, jpeg()))

    assert refused.value.code == "unsafe_name"
    assert refused.value.messages == [
        f"照片“{name}”的文件名含可执行或双重扩展名，不予接收；请改为 .jpg、.png 等图片文件名后重新上传。"
    ]


@pytest.mark.parametrize("name", ["IMG_0001.JPG", "现场照片.jpeg", "2025.05.20.活动.jpg", "image"])
def test_ordinary_photo_names_are_accepted(name):
    photo = process_upload(upload(name, jpeg()))

    assert photo.original_name == name
