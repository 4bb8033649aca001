"""The staffing page, mounted by ``pandu.urls`` under ``appointments/`` in the ``appointments``
namespace (``appointments:supervisor_staffing``), beside the supervisor's other planning pages."""

from django.urls import path

from pandu.queueing import views

urlpatterns = [
    path("supervisor/staffing/", views.staffing, name="supervisor_staffing"),
]
