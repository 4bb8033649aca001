from django.urls import path

from pandu.privacy import views

app_name = "privacy"

urlpatterns = [
    path("penghapusan-akun/", views.deletion_list, name="deletion_list"),
    path("penghapusan-akun/<uuid:public_id>/", views.deletion_detail, name="deletion_detail"),
    path(
        "penghapusan-akun/<uuid:public_id>/konfirmasi/",
        views.deletion_confirm,
        name="deletion_confirm",
    ),
    path("penghapusan-akun/<uuid:public_id>/tolak/", views.deletion_refuse, name="deletion_refuse"),
]
