from django.urls import path

from pandu.reports import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.dashboard, name="dashboard"),
    path("laporan/bulanan.pdf", views.monthly_pdf, name="monthly_pdf"),
    path("laporan/ekspor/<slug:key>.<slug:fmt>", views.export, name="export"),
    path("kinerja/", views.public_default, name="public_default"),
    path("kinerja/<slug:mission>/", views.public, name="public"),
]
