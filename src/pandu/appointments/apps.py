from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "pandu.appointments"
    label = "appointments"
    verbose_name = _("Janji temu")

    def ready(self) -> None:
        # The citizen's profile page lists their appointments, draw entries and waitlist places.
        from pandu.appointments import selectors
        from pandu.people import profile_parts

        profile_parts.register("appointments", selectors.citizen_profile_part)
        # The citizen's data export (pandu.people.export) gets this app's section(s).
        from pandu.appointments import export as appointments_export
        from pandu.people import export

        export.register(
            "appointments",
            appointments_export.contribute,
            description=_("Janji temu, undian kursi dan daftar tunggu Anda."),
        )
