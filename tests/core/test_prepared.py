"""A prepared query answers exactly what its queryset answers, for every value, in every thread."""

import threading

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

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


@pytest.fixture
def postgresql(request):
    """Skips on other databases, once the test's database is set up (as the suite's teardown,
    which looks at the demo data, expects of every database test)."""
    request.getfixturevalue(
        "transactional_db" if "transactional_db" in request.fixturenames else "db"
    )
    if connection.vendor != "postgresql":
        pytest.skip("prepared on the server on PostgreSQL only")


def _prepared_statements_on_services() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "catalog_service"%'],
        )
        return cursor.fetchone()[0]


def test_on_postgresql_the_statement_is_prepared_once_and_logged_with_its_values(demo, postgresql):
    service = Service.objects.first()
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            got = PREPARED.run(mission_id=service.mission_id, code=service.code)
            assert [s.pk for s in got] == [service.pk]
    assert _prepared_statements_on_services() == 1
    # The query log (and every statement budget counted with it) sees each run, with its values.
    assert len(ctx.captured_queries) == 3
    assert all(f"'{service.code}'" in q["sql"] for q in ctx.captured_queries)


def test_without_prepared_statements_on_the_connection_nothing_is_prepared(
    demo, postgresql, monkeypatch
):
    service = Service.objects.first()
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    got = PREPARED.run(mission_id=service.mission_id, code=service.code)
    assert [s.pk for s in got] == [service.pk]
    assert _prepared_statements_on_services() == 0


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_prepared_statement_keeps_one_generic_plan(postgresql):
    for _ in range(3):
        assert PREPARED.run(mission_id=-5, code="none") == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ['%FROM "catalog_service"%'],
        )
        assert cursor.fetchall() == [(3, 0)]
