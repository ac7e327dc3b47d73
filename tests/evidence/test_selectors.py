"""evidence.selectors: photos of one record, of many records in one query, and one photo in scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from campaigns.models import Task
from evidence.models import Photo
from evidence.selectors import photo_get_for_user, photos_by_record, photos_for
from tests.evidence.images import camera_exif, jpeg


def test_photos_for_gives_only_that_records_photos_oldest_first(
    office_a, office_b, assignment_a, assignment_b, attach
):
    first, second = attach(office_a, assignment_a, jpeg(), jpeg(exif=camera_exif()))
    attach(office_b, assignment_b, jpeg())

    assert list(photos_for(assignment_a)) == [first, second]


def test_photos_by_record_fetches_every_records_photos_in_one_query(
    office_a, office_b, assignment_a, assignment_b, shared_task, attach, django_assert_num_queries
):
    photos_a = attach(office_a, assignment_a, jpeg(), jpeg())
    photos_b = attach(office_b, assignment_b, jpeg())
    assignments = list(shared_task.assignments.order_by("pk"))

    # 1. the photos of all the given records, their content type matched by a join
    with django_assert_num_queries(1):
        grouped = photos_by_record(assignments)

    assert grouped == {assignment_a.pk: photos_a, assignment_b.pk: photos_b}


def test_photos_by_record_maps_records_without_photos_to_an_empty_list(
    assignment_a, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert photos_by_record([assignment_a]) == {assignment_a.pk: []}
    with django_assert_num_queries(0):
        assert photos_by_record([]) == {}


def test_photos_by_record_refuses_records_of_different_models(assignment_a, shared_task):
    with pytest.raises(ValueError, match="one model"):
        photos_by_record([assignment_a, shared_task])


def test_photo_of_another_model_with_the_same_id_is_not_mixed_in(office_a, assignment_a, shared_task, attach):
    own, foreign = attach(office_a, assignment_a, jpeg(), jpeg())
    Photo.objects.filter(pk=foreign.pk).update(content_type=ContentType.objects.get_for_model(Task))

    assert list(photos_for(assignment_a)) == [own]
    assert photos_by_record([assignment_a]) == {assignment_a.pk: [own]}


def test_photo_get_for_user_follows_the_parent_records_unit(office_a, office_b, leader, assignment_a, attach):
    photo = attach(office_a, assignment_a, jpeg())[0]

    assert photo_get_for_user(user=office_a, pk=photo.pk) == photo
    assert photo_get_for_user(user=leader, pk=photo.pk) == photo
    for outsider in (office_b, AnonymousUser()):
        with pytest.raises(Http404):
            photo_get_for_user(user=outsider, pk=photo.pk)


@pytest.mark.parametrize("pk", [999_999, "abc", None])
def test_photo_get_for_user_answers_404_for_missing_or_malformed_ids(leader, pk):
    with pytest.raises(Http404):
        photo_get_for_user(user=leader, pk=pk)
