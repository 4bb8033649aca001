from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BroadcastConfig(AppConfig):
    name = "pandu.broadcast"
    label = "broadcast"
    verbose_name = _("Pesan krisis")

    def ready(self) -> None:
        # The citizen's data export (pandu.people.export) gets this app's section.
        from pandu.broadcast import export as broadcast_export
        from pandu.people import export

        export.register(
            "crisis_messages",
            broadcast_export.contribute,
            description=_("Pesan krisis yang dikirim kepada Anda dan jawaban Anda."),
        )
