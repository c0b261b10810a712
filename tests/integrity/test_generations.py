"""Counts kept until what they count is written: one generation, or several read together."""

import pytest
from django.core.cache import cache

from integrity import generations

pytestmark = pytest.mark.django_db  # a generation moves when the transaction that wrote commits


def test_a_stamp_moves_with_any_of_its_generations_and_with_none_other(django_capture_on_commit_callbacks):
    first = generations.stamp(["lights:1", "lights:2"])
    assert generations.stamp(["lights:1", "lights:2"]) == first  # read twice, nothing moved
    with django_capture_on_commit_callbacks(execute=True):
        generations.moved("lights:3")  # a body the stamp does not name
    assert generations.stamp(["lights:1", "lights:2"]) == first
    with django_capture_on_commit_callbacks(execute=True):
        generations.moved("lights:2")
    second = generations.stamp(["lights:1", "lights:2"])
    assert second != first
    # A generation the cache lost starts again from the clock: the stamp it gave before does not come back.
    cache.delete("generation:lights:1")
    assert generations.stamp(["lights:1", "lights:2"]) not in (first, second)


def test_what_is_kept_at_a_stamp_is_read_again_once_it_moves(django_capture_on_commit_callbacks):
    reads = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    def kept() -> int:
        return generations.cached_at(generations.stamp(["lights:7"]), "count", read)

    assert kept() == kept() == 1
    with django_capture_on_commit_callbacks(execute=True):
        generations.moved("lights:7")
    assert kept() == kept() == 2
