from django.urls import path

from pandu.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("daftar/", views.register, name="register"),
    path("ubah/", views.edit, name="edit"),
    path("perbarui/", views.renew, name="renew"),
    path("akhiri/", views.end, name="end"),
    path("surat/", views.letter, name="letter"),
    path("staf/", views.staff_list, name="staff_list"),
    path("staf/<uuid:public_id>/", views.staff_detail, name="staff_detail"),
]
