from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueConfig(AppConfig):
    name = "pandu.queue"
    label = "queue"
    verbose_name = _("Ruang tunggu")

    def ready(self) -> None:
        # The citizen's data export (pandu.people.export) gets this app's section(s).
        from pandu.people import export
        from pandu.queue import export as queue_export

        export.register(
            "tickets",
            queue_export.contribute,
            description=_("Nomor antrean Anda di ruang tunggu dan riwayatnya."),
        )
