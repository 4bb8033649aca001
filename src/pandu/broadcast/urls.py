from django.urls import path

from pandu.broadcast import views

app_name = "broadcast"

urlpatterns = [
    path("", views.broadcast_list, name="list"),
    path("baru/", views.broadcast_compose, name="compose"),
    path("hitung/", views.broadcast_preview, name="preview"),
    path("bantuan/", views.help_list, name="help_list"),
    path("bantuan/<uuid:public_id>/", views.help_detail, name="help_detail"),
    path("balas/<str:token>/", views.reply, name="reply"),
    path("<uuid:public_id>/", views.broadcast_detail, name="detail"),
    path("<uuid:public_id>/progres/", views.broadcast_progress, name="progress"),
]
