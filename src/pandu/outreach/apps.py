from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "pandu.outreach"
    label = "outreach"
    verbose_name = _("Pertiwi")

    def ready(self) -> None:
        # The citizen's data export (pandu.people.export) gets this app's section(s).
        from pandu.outreach import export as outreach_export
        from pandu.people import export

        export.register(
            "visit_requests",
            outreach_export.visit_requests,
            description=_("Permintaan kunjungan rumah Pertiwi Anda."),
        )
        export.register(
            "eligibility",
            outreach_export.eligibility,
            description=_("Permohonan Pertiwi (kelayakan) Anda dan buktinya."),
        )
