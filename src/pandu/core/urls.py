"""Core's public pages. ``pandu/urls.py`` serves them with the catalogue's (``catalog/urls.py``)
under one namespace, ``core``."""

from django.urls import path

from pandu.core import views

urlpatterns = [
    path("contact/", views.contact_default, name="contact_default"),
    path("privacy/", views.privacy, name="privacy"),
    path("missions/<slug:mission>/contact/", views.contact, name="contact"),
]
