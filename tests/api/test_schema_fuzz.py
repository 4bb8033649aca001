"""Schemathesis over the whole API schema, in-process: every answer matches the schema, no 5xx."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

# The schema states each field's shape; rules across fields (a NIK that must agree with the birth
# date, a postal code that must belong to the province) can only be answered by the service, so
# schema-valid data may still be refused with 422. Every other check runs.
NOT_CHECKED = [schemathesis.checks.positive_data_acceptance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Serve requests as Django's test client does: the test's transaction stays open."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(demo):
    from pandu.people.models import User
    from pandu.people.services import token_issue

    return token_issue(user=User.objects.get(email="siti.rahayu@example.org")).token


@schema.parametrize()
@FUZZ
def test_api_with_a_token(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=NOT_CHECKED
    )


@schema.parametrize()
@FUZZ
def test_api_without_credentials(case, demo):
    case.call_and_validate(excluded_checks=NOT_CHECKED)
