from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pandu.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from pandu.audit import export as audit_export
        from pandu.audit.services import audit_record
        from pandu.core import audit_hook, exports

        # core's writes are recorded in the chain without core importing audit.
        audit_hook.recorder_install(audit_record)
        # The citizen's data export lists who opened their sensitive data.
        exports.register(
            "sensitive_access",
            audit_export.contribute,
            description=_(
                "Kapan staf membuka bukti kesehatan, pindaian dokumen atau nomor identitas Anda, "
                "menurut perannya, dan alasannya."
            ),
        )
