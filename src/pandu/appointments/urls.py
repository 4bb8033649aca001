from django.urls import path

from pandu.appointments import views

app_name = "appointments"

urlpatterns = [
    path("book/<slug:mission>/<slug:code>/", views.book, name="book"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/calendar.ics", views.calendar_file, name="calendar"),
    path("<str:reference>/cancel/", views.cancel, name="cancel"),
]
