"""The access log page, mounted at ``audit/`` in the ``audit`` namespace (``audit:access_log``)."""

from django.urls import path

from pandu.privacy import access_log as views

app_name = "audit"

urlpatterns = [
    path("akses-data/", views.access_log, name="access_log"),
]
