"""The default retention rules, as plain data (the data migration and the demo read them).

The legal basis texts are deliberately modest: where a period comes from the mission's own
records policy rather than from an article of a law, they say so. A mission changes periods and
texts in the admin; these are only where it starts.
"""

from __future__ import annotations

YEAR = 365

# What starts each kind's clock (``models.Clock``); fixed by the code that applies the rules.
CLOCKS: dict[str, str] = {
    "account": "last_activity",
    "appointments": "appointment_date",
    "tickets": "ticket_date",
    "applications_issued": "issue_date",
    "applications_closed": "decision_date",
    "documents": "decision_date",
    "letters": "issue_date",
    "surveys": "submitted_date",
    "pertiwi": "request_date",
    "messages": "sent_date",
    "audit": "recorded",
    "crisis_deliveries": "sent_date",
    "crisis_replies": "answer_date",
    "help_cases": "resolved_date",
    "sensitive_access": "recorded",
}

# kind: (keep_days or None, action, kept_on_request, legal basis (id), legal basis (en))
DEFAULT_RULES: dict[str, tuple[int | None, str, bool, str, str]] = {
    "account": (
        5 * YEAR,
        "anonymise",
        False,
        "UU 27/2022 tentang Pelindungan Data Pribadi: data pribadi tidak disimpan lebih lama dari "
        "yang diperlukan. Lima tahun tanpa aktivitas mengikuti kebijakan arsip perwakilan.",
        "Law 27/2022 on Personal Data Protection: personal data is not kept longer than needed. "
        "Five years without activity follows the mission's records policy.",
    ),
    "appointments": (
        2 * YEAR,
        "anonymise",
        False,
        "Kebijakan arsip perwakilan. Sesudahnya baris janji temu tetap ada tanpa nomor identitas, "
        "untuk statistik kinerja layanan.",
        "The mission's records policy. Afterwards the appointment stays without an identity "
        "number, for the service's performance figures.",
    ),
    "tickets": (
        90,
        "anonymise",
        False,
        "Kebijakan arsip perwakilan: alamat surel hanya diperlukan untuk memanggil pada hari itu; "
        "nomor antrean tetap ada untuk statistik waktu tunggu.",
        "The mission's records policy: the e-mail address is only needed to call the person on "
        "the day; the ticket stays for waiting-time figures.",
    ),
    "applications_issued": (
        10 * YEAR,
        "anonymise",
        True,
        "UU 6/2011 tentang Keimigrasian (penerbitan dokumen perjalanan Republik Indonesia) dan "
        "kebijakan arsip perwakilan: catatan dokumen yang sudah diterbitkan disimpan selama masa "
        "ini, juga bila akun dihapus.",
        "Law 6/2011 on Immigration (issuing Indonesian travel documents) and the mission's "
        "records policy: the record of an issued document is kept for this period, also when "
        "the account is deleted.",
    ),
    "applications_closed": (
        2 * YEAR,
        "anonymise",
        False,
        "Kebijakan arsip perwakilan: catatan keputusan disimpan agar dapat dijelaskan bila ada "
        "pertanyaan atau keberatan.",
        "The mission's records policy: the record of the decision is kept so that it can be "
        "explained if it is questioned.",
    ),
    "documents": (
        YEAR,
        "erase",
        False,
        "UU 27/2022 dan kebijakan arsip perwakilan: salinan dokumen hanya diperlukan untuk "
        "memeriksa permohonan.",
        "Law 27/2022 and the mission's records policy: copies of documents are only needed to "
        "check the application.",
    ),
    "letters": (
        10 * YEAR,
        "erase",
        True,
        "Kebijakan arsip perwakilan: surat yang diterbitkan dapat diverifikasi keasliannya selama "
        "masa ini, juga bila akun dihapus.",
        "The mission's records policy: an issued letter can be verified during this period, "
        "also when the account is deleted.",
    ),
    "surveys": (
        YEAR,
        "anonymise",
        False,
        "PermenPANRB 14/2017 tentang survei kepuasan masyarakat: nilai tetap ada untuk IKM; "
        "komentar dan alamat surel dihapus menurut kebijakan arsip perwakilan.",
        "PermenPANRB 14/2017 on public satisfaction surveys: the scores stay for the IKM; "
        "comments and e-mail addresses are removed under the mission's records policy.",
    ),
    "pertiwi": (
        YEAR,
        "anonymise",
        False,
        "UU 27/2022: data kesehatan termasuk data pribadi yang bersifat spesifik; alamat, kontak "
        "dan catatan disimpan selama diperlukan untuk layanan, menurut kebijakan arsip perwakilan.",
        "Law 27/2022: health data is specific personal data; address, contact and notes are kept "
        "as long as the service needs them, under the mission's records policy.",
    ),
    "messages": (
        30,
        "anonymise",
        False,
        "Kebijakan arsip perwakilan: tabel pesan adalah catatan pengiriman, bukan arsip isi.",
        "The mission's records policy: the message table records delivery, it is not an archive "
        "of what was said.",
    ),
    "crisis_deliveries": (
        2 * YEAR,
        "erase",
        False,
        "UU 27/2022 tentang Pelindungan Data Pribadi dan kebijakan arsip perwakilan: siapa yang "
        "dikirimi pesan krisis hanya diperlukan selama krisis dan tindak lanjutnya. Pesan krisis "
        "itu sendiri (teks, wilayah, jumlah penerima) tetap ada.",
        "Law 27/2022 on Personal Data Protection and the mission's records policy: who was sent "
        "a crisis message is only needed during the crisis and its follow-up. The crisis message "
        "itself (text, area, number of recipients) stays.",
    ),
    "crisis_replies": (
        YEAR,
        "anonymise",
        False,
        "UU 27/2022: catatan dan nomor telepon dalam jawaban pesan krisis dapat menyangkut "
        "kesehatan dan keselamatan; disimpan selama diperlukan untuk menolong, menurut kebijakan "
        "arsip perwakilan. Jawaban aman/butuh bantuan tetap ada.",
        "Law 27/2022: the note and phone number in an answer to a crisis message may concern "
        "health and safety; they are kept as long as needed to help, under the mission's records "
        "policy. The safe/need-help answer stays.",
    ),
    "help_cases": (
        2 * YEAR,
        "anonymise",
        False,
        "UU 27/2022 dan kebijakan arsip perwakilan: catatan petugas tentang bantuan disimpan agar "
        "penanganan dapat dipertanggungjawabkan, lalu dihapus; status dan tanggal tetap ada.",
        "Law 27/2022 and the mission's records policy: staff notes on the help given are kept so "
        "that the handling can be accounted for, then blanked; status and dates stay.",
    ),
    "sensitive_access": (
        2 * YEAR,
        "erase",
        True,
        "UU 27/2022 (akuntabilitas pengendali data) dan kebijakan arsip perwakilan: catatan siapa "
        "membuka data sensitif disimpan selama masa ini agar warga dan pengawas dapat memeriksanya, "
        "juga bila akun dihapus.",
        "Law 27/2022 (the controller's accountability) and the mission's records policy: the "
        "record of who opened sensitive data is kept for this period so that citizens and "
        "supervisors can check it, also when the account is deleted.",
    ),
    "audit": (
        None,
        "keep",
        True,
        "Kebijakan arsip perwakilan: catatan audit tidak berisi data pribadi (hanya siapa, apa, "
        "kapan dan nomor rujukan) dan tidak pernah dihapus, agar rantai audit tetap utuh.",
        "The mission's records policy: audit events hold no personal content (only who, what, "
        "when and a reference) and are never erased, so the audit chain stays whole.",
    ),
}
