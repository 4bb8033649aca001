"""The catalogue's public pages, served in the ``core`` namespace with core's (``pandu/urls.py``)."""

from django.urls import path

from pandu.catalog import views

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services_default, name="services"),
    path("missions/<slug:mission>/services/", views.service_list_view, name="service_list"),
    path(
        "missions/<slug:mission>/services/<slug:code>/", views.service_detail, name="service_detail"
    ),
]
