from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "pandu.registry"
    label = "registry"
    verbose_name = _("Lapor diri")

    def ready(self) -> None:
        # The citizen's data export (pandu.people.export) gets this app's section.
        from pandu.people import export
        from pandu.registry import export as registry_export

        export.register(
            "stay_registrations",
            registry_export.stay_registrations,
            description=_("Lapor diri Anda: alamat, lokasi, kontak darurat dan anggota keluarga."),
        )
