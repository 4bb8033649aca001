from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "pandu.feedback"
    label = "feedback"
    verbose_name = _("Survei kepuasan masyarakat")

    def ready(self) -> None:
        # Surveys follow the services completed below (pandu.core.events).
        from pandu.feedback import receivers

        receivers.connect()
        # The citizen's data export (pandu.people.export) gets this app's section(s).
        from pandu.feedback import export as feedback_export
        from pandu.people import export

        export.register(
            "surveys",
            feedback_export.contribute,
            description=_("Jawaban survei kepuasan Anda."),
        )
