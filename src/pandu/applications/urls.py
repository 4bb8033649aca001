from django.urls import path

from pandu.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("baru/<slug:mission>/<slug:code>/", views.start, name="start"),
    path("petugas/", views.queue, name="queue"),
    path("petugas/<uuid:public_id>/", views.staff_detail, name="staff_detail"),
    path("petugas/<uuid:public_id>/nilai/<int:requirement_id>/", views.review, name="review"),
    path("petugas/<uuid:public_id>/bayar/", views.payment, name="payment"),
    path("petugas/<uuid:public_id>/mrz/", views.old_passport_mrz, name="old_passport_mrz"),
    path(
        "petugas/<uuid:public_id>/dokumen/<uuid:document_id>/",
        views.staff_document,
        name="staff_document",
    ),
    path("petugas/<uuid:public_id>/nomor-paspor/", views.reveal_identity, name="reveal_identity"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/isi/", views.edit, name="edit"),
    path("<uuid:public_id>/periksa/", views.check, name="check"),
    path("<uuid:public_id>/langkah/", views.transition, name="transition"),
    path("<uuid:public_id>/ganti/<int:requirement_id>/", views.replace, name="replace"),
    path("<uuid:public_id>/dokumen/<uuid:document_id>/", views.document, name="document"),
    path("<uuid:public_id>/kuitansi/<uuid:payment_id>/", views.receipt, name="receipt"),
    path("<uuid:public_id>/tanda-terima/", views.received_letter, name="received_letter"),
    path("<uuid:public_id>/surat-keterangan/", views.certificate_letter, name="certificate_letter"),
]
