from django.urls import path

from pandu.audit import views

app_name = "audit"

urlpatterns = [
    path("akses-data/", views.access_log, name="access_log"),
]
