"""Bilingual content stored as paired fields (``name_id`` / ``name_en``).

Catalogue and mission texts are written by the mission in both languages, so they live as two
columns rather than in ``.po`` files. ``pick`` returns the text for the active language and falls
back to Indonesian, the default language, when the English text is empty.
"""

from __future__ import annotations

from django.utils.translation import get_language


def pick(obj: object, field: str) -> str:
    lang = (get_language() or "id").split("-")[0]
    value = getattr(obj, f"{field}_{lang}", "") if lang in {"id", "en"} else ""
    return value or getattr(obj, f"{field}_id", "")


class BilingualMixin:
    """Adds ``obj.tr("name")`` for paired ``*_id`` / ``*_en`` fields."""

    def tr(self, field: str) -> str:
        return pick(self, field)
