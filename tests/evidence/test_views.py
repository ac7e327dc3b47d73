"""Serving photo files: only after the parent record's scope check, never cached by shared caches."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.evidence.images import jpeg


@pytest.fixture
def photo_a(office_a, assignment_a, attach):
    return attach(office_a, assignment_a, jpeg((1600, 1200)))[0]


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response, body


@pytest.mark.parametrize("url_name", ["evidence:image", "evidence:thumbnail"])
def test_office_gets_its_own_units_photo_as_a_private_jpeg(client, office_a, photo_a, url_name):
    response, body = _get(client, office_a, reverse(url_name, args=[photo_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "private" in cache_control
    assert "public" not in cache_control
    assert response["Content-Disposition"].startswith("inline")
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == (1600 if url_name == "evidence:image" else 480)


@pytest.mark.parametrize("url_name", ["evidence:image", "evidence:thumbnail"])
def test_other_units_office_gets_404(client, office_b, photo_a, url_name):
    response, _body = _get(client, office_b, reverse(url_name, args=[photo_a.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["evidence:image", "evidence:thumbnail"])
def test_leadership_sees_every_units_photo(client, leader, photo_a, url_name):
    response, _body = _get(client, leader, reverse(url_name, args=[photo_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_anonymous_visitor_is_sent_to_the_login_page(client, photo_a):
    url = reverse("evidence:image", args=[photo_a.pk])

    response, _body = _get(client, None, url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_missing_photo_gets_404(client, leader):
    response, _body = _get(client, leader, reverse("evidence:image", args=[987_654]))

    assert response.status_code == 404


def test_photo_whose_file_has_gone_gets_404(client, leader, photo_a):
    photo_a.image.storage.delete(photo_a.image.name)

    response, _body = _get(client, leader, reverse("evidence:image", args=[photo_a.pk]))

    assert response.status_code == 404


def test_photos_cannot_be_posted_to(client, office_a, photo_a):
    client.force_login(office_a)

    response = client.post(reverse("evidence:image", args=[photo_a.pk]))

    assert response.status_code == 405
