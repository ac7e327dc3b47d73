"""Under CI (the `CI` variable, set by .ci/run and the runner) Hypothesis runs without deadlines: a
shared runner's pauses are not a property of the code (issue 21)."""

from __future__ import annotations

import os

from hypothesis import settings


def test_the_ci_profile_has_no_deadline():
    assert settings.get_profile("ci").deadline is None


def test_under_ci_the_ci_profile_is_loaded():
    expected = None if os.environ.get("CI") else settings.get_profile("default").deadline
    current = settings.default
    assert current is not None
    assert current.deadline == expected
