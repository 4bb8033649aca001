"""The one staff mission picker: the user's missions holding a permission, named by a slug."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from pandu.people.missions import staff_mission
from pandu.people.models import User

pytestmark = pytest.mark.django_db

AREA = "appointments.change_session"


def _request(email, method="get", **data):
    request = getattr(RequestFactory(), method)("/", data)
    request.user = User.objects.get(email=email)
    return request


def test_the_named_mission_else_the_first_of_the_user_s(demo):
    toronto = demo["toronto"]
    assert staff_mission(_request("supervisor@toronto.pandu.test"), perm=AREA) == toronto
    request = _request("supervisor@toronto.pandu.test", mission="toronto")
    assert staff_mission(request, perm=AREA) == toronto
    assert request.mission == toronto  # the page now shows that mission's time zone


def test_another_mission_s_slug_is_not_found_or_falls_back_when_asked(demo):
    request = _request("supervisor@toronto.pandu.test", mission="ottawa")
    with pytest.raises(Http404):
        staff_mission(request, perm=AREA)
    assert staff_mission(request, perm=AREA, unknown="first") == demo["toronto"]


def test_a_form_names_its_mission_only_where_the_page_reads_it(demo):
    request = _request("supervisor@toronto.pandu.test", "post", mission="ottawa")
    assert staff_mission(request, perm=AREA) == demo["toronto"]  # the query string has none
    with pytest.raises(Http404):
        staff_mission(request, perm=AREA, read=("POST", "GET"))


def test_without_the_permission_anywhere_the_user_is_refused(demo):
    for email in ("officer@toronto.pandu.test", "siti.rahayu@example.org"):
        with pytest.raises(PermissionDenied):
            staff_mission(_request(email), perm=AREA)
    # The area's permission lets a supervisor in even where the narrower one lists nothing.
    with pytest.raises(Http404):
        staff_mission(
            _request("supervisor@toronto.pandu.test"), perm="people.nothing_here", gate=AREA
        )
