"""The survey form (the regulation's nine questions as radio groups) and the follow-up forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pandu.feedback.ikm import ELEMENTS
from pandu.feedback.services import COMMENT_MAX, OUTCOME_MAX


class SurveyForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentar atau saran"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_complaint = forms.BooleanField(label=_("Komentar ini adalah pengaduan"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {}
        for number, element in enumerate(ELEMENTS, start=1):
            questions[element.code] = forms.TypedChoiceField(
                label=f"{number}. {gettext(element.question)}",
                help_text=gettext(element.name),
                choices=[
                    (str(score), gettext(text))
                    for score, text in enumerate(element.answers, start=1)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih salah satu jawaban.")},
            )
        # The nine questions first, then the comment.
        self.fields = {**questions, **self.fields}

    @property
    def questions(self):
        return [self[e.code] for e in ELEMENTS]

    def answers(self) -> dict[str, int]:
        return {e.code: self.cleaned_data[e.code] for e in ELEMENTS}


class KioskForm(forms.Form):
    code = forms.CharField(
        label=_("Nomor referensi janji temu atau nomor antrean"),
        help_text=_("Misalnya TOR-ABC123 atau A-012."),
        max_length=32,
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Ditangani oleh"), queryset=None, empty_label=_("Pilih penyelia")
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = supervisors


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Hasil tindak lanjut"),
        help_text=_("Apa yang sudah dilakukan dan apa yang disampaikan kepada warga."),
        required=False,
        max_length=OUTCOME_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
