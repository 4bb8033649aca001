from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "pandu.applications"
    label = "applications"
    verbose_name = _("Permohonan")

    def ready(self) -> None:
        # Biometrics follow bookings and Pertiwi visits made below (pandu.core.events).
        from pandu.applications import receivers

        receivers.connect()
        # A Pertiwi visit request links the applications whose biometrics it will capture.
        from pandu.applications import selectors
        from pandu.outreach import visits

        visits.biometrics_waiting_install(selectors.biometrics_waiting_for_visit)
        # The citizen's data export (pandu.people.export) gets this app's section(s).
        from pandu.applications import export as applications_export
        from pandu.people import export

        export.register(
            "applications",
            applications_export.contribute,
            description=_(
                "Permohonan Anda: status, riwayat, jawaban, penilaian dokumen, biaya dan pembayaran, serta berkasnya."
            ),
        )
