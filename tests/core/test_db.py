"""Skipping savepoints for a single-writer batch, and keeping them where an error is caught."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from pandu.core.db import savepoints_kept, savepoints_skipped

pytestmark = pytest.mark.django_db


def _savepoints(ctx) -> int:
    return sum(q["sql"].upper().startswith("SAVEPOINT") for q in ctx.captured_queries)


@pytest.fixture
def group():
    return Group.objects.create(name="counter")


def _rename(group: Group, name: str) -> None:
    with transaction.atomic():
        Group.objects.filter(pk=group.pk).update(name=name)


def test_nested_blocks_open_no_savepoint_inside_and_do_again_after(group):
    with CaptureQueriesContext(connection) as skipped, savepoints_skipped():
        _rename(group, "A")
        _rename(group, "B")
    with CaptureQueriesContext(connection) as normal:
        _rename(group, "C")
    assert _savepoints(skipped) == 0
    assert _savepoints(normal) == 1
    assert Group.objects.get(pk=group.pk).name == "C"


def test_a_caught_error_under_kept_savepoints_leaves_the_batch_usable(group):
    with savepoints_skipped():
        try:
            with savepoints_kept(), transaction.atomic():
                Group.objects.create(name=group.name)  # the name is taken
        except IntegrityError:
            pass
        _rename(group, "still writing")
    assert Group.objects.get(pk=group.pk).name == "still writing"


def test_a_caught_error_without_a_savepoint_stops_the_batch(group):
    """Why the demo keeps savepoints around the one step whose refusal it catches."""
    with pytest.raises(transaction.TransactionManagementError), savepoints_skipped():  # noqa: SIM117
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Group.objects.create(name=group.name)
            except IntegrityError:
                pass
            Group.objects.count()
