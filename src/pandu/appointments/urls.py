from django.urls import path

from pandu.appointments import staff_views, supervisor_views, views, waitlist_views

# The staffing page (pandu.queueing.urls) shares this namespace: pandu.urls mounts both here.
app_name = "appointments"

urlpatterns = [
    path("book/<slug:mission>/<slug:code>/", views.book, name="book"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("waitlist/offer/<str:token>/", waitlist_views.offer, name="waitlist_offer"),
    path("waitlist/join/<slug:mission>/<slug:code>/", waitlist_views.join, name="waitlist_join"),
    path("waitlist/<uuid:public_id>/<slug:action>/", waitlist_views.answer, name="waitlist_answer"),
    path("staff/", staff_views.day, name="staff_day"),
    path("staff/book/", staff_views.book_for, name="staff_book"),
    path("staff/<str:reference>/no-show/", staff_views.no_show, name="staff_no_show"),
    path("staff/<str:reference>/served/", staff_views.served, name="staff_served"),
    path("supervisor/", supervisor_views.month, name="supervisor_month"),
    path(
        "supervisor/sessions/new/",
        supervisor_views.extra_session_new,
        name="supervisor_extra_new",
    ),
    path(
        "supervisor/sessions/<uuid:public_id>/",
        supervisor_views.session_detail,
        name="supervisor_session",
    ),
    path(
        "supervisor/sessions/<uuid:public_id>/capacity/",
        supervisor_views.session_capacity,
        name="supervisor_capacity",
    ),
    path(
        "supervisor/sessions/<uuid:public_id>/quota/",
        supervisor_views.session_quota,
        name="supervisor_quota",
    ),
    path(
        "supervisor/sessions/<uuid:public_id>/release/",
        supervisor_views.session_release,
        name="supervisor_release",
    ),
    path(
        "supervisor/sessions/<uuid:public_id>/hours/",
        supervisor_views.session_hours,
        name="supervisor_hours",
    ),
    path("supervisor/saturday/", supervisor_views.saturday_rules, name="supervisor_saturday"),
    path(
        "supervisor/saturday/generate/",
        supervisor_views.sessions_generate,
        name="supervisor_generate",
    ),
    path(
        "supervisor/saturday/<str:token>/end/",
        supervisor_views.saturday_rule_end,
        name="supervisor_saturday_end",
    ),
    path(
        "supervisor/saturday/<str:token>/edit/",
        supervisor_views.saturday_rule_edit,
        name="supervisor_saturday_edit",
    ),
    path("supervisor/days/", supervisor_views.days, name="supervisor_days"),
    path("supervisor/days/close/", supervisor_views.day_close, name="supervisor_day_close"),
    path("supervisor/days/open/", supervisor_views.day_open, name="supervisor_day_open"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/calendar.ics", views.calendar_file, name="calendar"),
    path("<str:reference>/cancel/", views.cancel, name="cancel"),
]
