from django.urls import path

from pandu.notify import views

app_name = "notify"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("stop/<str:token>/", views.stop, name="stop"),
]
