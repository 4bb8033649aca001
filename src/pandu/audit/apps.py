from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pandu.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        # The citizen's data export (pandu.people.export) lists who opened their sensitive data.
        # Imported here, not at the top: people imports audit, and audit sits below it.
        from pandu.audit import export as audit_export
        from pandu.people import export

        export.register(
            "sensitive_access",
            audit_export.contribute,
            description=_(
                "Kapan staf membuka bukti kesehatan, pindaian dokumen atau nomor identitas Anda, "
                "menurut perannya, dan alasannya."
            ),
        )
