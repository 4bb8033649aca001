"""A prepared query answers exactly what its queryset answers, for every value, in every thread."""

import threading

import pytest
from django.db.models import Count

from pandu.catalog.models import Service
from pandu.core.models import Mission
from pandu.core.prepared import Param, PreparedQuery

pytestmark = pytest.mark.django_db


def services_of(mission_id, code):
    return (
        Service.objects.select_related("mission")
        .annotate(requirements_count=Count("requirements"))
        .filter(mission_id=mission_id, code=code)
        .order_by("pk")
    )


PREPARED = PreparedQuery(
    services_of,
    mission_id=Param(-1, Mission._meta.pk),
    code=Param("~code~", Service._meta.get_field("code")),
)


def test_same_rows_related_objects_and_annotations_as_the_orm(demo):
    for service in Service.objects.all():
        expected = list(services_of(service.mission_id, service.code))
        got = PREPARED.run(mission_id=service.mission_id, code=service.code)
        assert [s.pk for s in got] == [s.pk for s in expected]
        assert got[0].mission.slug == service.mission.slug  # no further query needed
        assert got[0].requirements_count == expected[0].requirements_count
    assert PREPARED.run(mission_id=demo["toronto"].pk, code="no-such-service") == []


def test_each_thread_compiles_its_own(demo):
    service = Service.objects.first()
    found = []
    thread = threading.Thread(
        target=lambda: found.append(
            PREPARED.run(mission_id=service.mission_id, code=service.code)[0].pk
        )
    )
    thread.start()
    thread.join()
    assert found == [service.pk]


def test_a_value_the_sql_does_not_hold_is_refused(demo):
    prepared = PreparedQuery(
        lambda code: Service.objects.filter(code="fixed"),
        code=Param("~code~", Service._meta.get_field("code")),
    )
    with pytest.raises(ValueError, match="no parameter holds code"):
        prepared.run(code="paspor-ganti")
