from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    """Staffing planner: Erlang C, the session simulation, the ``staffing`` command and page.

    No models: it reads sessions and bookings from ``appointments`` and the catalogue.
    """

    name = "pandu.queueing"
    label = "queueing"
    verbose_name = _("Perencanaan loket")
