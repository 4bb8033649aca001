from django.urls import path

from pandu.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services_default, name="services"),
    path("contact/", views.contact_default, name="contact_default"),
    path("privacy/", views.privacy, name="privacy"),
    path("missions/<slug:mission>/services/", views.service_list_view, name="service_list"),
    path(
        "missions/<slug:mission>/services/<slug:code>/", views.service_detail, name="service_detail"
    ),
    path("missions/<slug:mission>/contact/", views.contact, name="contact"),
]
