from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from pandu.api.api import api
from pandu.appointments import urls as appointments_urls
from pandu.catalog import urls as catalog_urls
from pandu.core import urls as core_urls
from pandu.queueing import urls as queueing_urls

handler400 = "pandu.core.views.error_400"
handler403 = "pandu.core.views.error_403"
handler404 = "pandu.core.views.error_404"
handler500 = "pandu.core.views.error_500"

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("hooks/messages/", include("pandu.notify.hook_urls")),
]
urlpatterns += i18n_patterns(
    path("account/", include("pandu.people.urls")),
    # The staffing page (queueing) sits above appointments and shares its namespace.
    path(
        "appointments/",
        include(
            (appointments_urls.urlpatterns + queueing_urls.urlpatterns, "appointments"),
        ),
    ),
    path("pertiwi/", include("pandu.outreach.urls")),
    path("lapor-diri/", include("pandu.registry.urls")),
    path("queue/", include("pandu.queue.urls")),
    path("permohonan/", include("pandu.applications.urls")),
    path("verify/", include("pandu.issuance.urls")),
    path("survei/", include("pandu.feedback.urls")),
    # The access log reads audit's records but scopes them by people's missions: privacy serves it.
    path("audit/", include("pandu.privacy.access_log_urls")),
    path("privasi/", include("pandu.privacy.urls")),
    path("messages/", include("pandu.notify.urls")),
    path("pesan-krisis/", include("pandu.broadcast.urls")),
    path("", include("pandu.reports.urls")),
    # The public pages of core and the catalogue share the namespace "core" (core:home, ...).
    path("", include((catalog_urls.urlpatterns + core_urls.urlpatterns, "core"))),
    prefix_default_language=True,
)
