from django.urls import path

from pandu.appointments import staff_views, views

app_name = "appointments"

urlpatterns = [
    path("book/<slug:mission>/<slug:code>/", views.book, name="book"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("staff/", staff_views.day, name="staff_day"),
    path("staff/<str:reference>/no-show/", staff_views.no_show, name="staff_no_show"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/calendar.ics", views.calendar_file, name="calendar"),
    path("<str:reference>/cancel/", views.cancel, name="cancel"),
]
