"""The standard catalogue of an Indonesian mission in Canada, used to seed new missions.

Fee amounts here are placeholders in the mission's currency until the mission confirms them
against the current official tariff (Government Regulation on non-tax state revenue of the
Ministry of Foreign Affairs). Each fee is marked ``amount_confirmed=False`` with an internal note,
so the admin shows which figures still need checking.
"""

from __future__ import annotations

from typing import Any

UNCONFIRMED = "Placeholder amount: confirm against the official tariff before going live."

ALL = ["weekday", "saturday"]


def _req(
    title_id,
    title_en,
    expl_id="",
    expl_en="",
    *,
    form="",
    uploadable=False,
    kind="document",
    optional=False,
):
    return {
        "title_id": title_id,
        "title_en": title_en,
        "explanation_id": expl_id,
        "explanation_en": expl_en,
        "form": form,
        "uploadable": uploadable,
        "kind": kind,
        "optional": optional,
    }


def _fee(case_id, case_en, amount):
    return {
        "case_id": case_id,
        "case_en": case_en,
        "amount": amount,
        "amount_confirmed": False,
        "internal_note": UNCONFIRMED,
    }


STATUS_IN_CANADA = _req(
    "Bukti izin tinggal di Kanada",
    "Proof of legal status in Canada",
    "Kartu PR, izin belajar, izin kerja atau visa yang masih berlaku.",
    "A valid PR card, study permit, work permit or visa.",
    form="original_and_copy",
    uploadable=True,
)
ONLINE_FORM = _req(
    "Formulir permohonan daring",
    "Online application form",
    "Diisi di Pandu sebelum datang.",
    "Filled in on Pandu before your visit.",
    kind="condition",
)
BIOMETRICS = _req(
    "Hadir sendiri untuk foto dan sidik jari",
    "Come in person for photo and fingerprints",
    "Foto diambil di loket; tidak perlu membawa pasfoto.",
    "Your photo is taken at the counter; no need to bring photos.",
    kind="condition",
)
PHOTO_TEXT_ID = (
    "Foto berwarna terbaru, wajah menghadap ke depan, latar polos terang, perbandingan 35 x 45 mm. "
    "Pandu memeriksanya saat diunggah dan menjelaskan bila ada yang perlu diperbaiki."
)
PHOTO_TEXT_EN = (
    "A recent colour photo, facing the camera, on a plain light background, in the 35 x 45 mm "
    "proportion. Pandu checks it when you upload it and explains anything to fix."
)
PASSPORT_PHOTO = _req(
    "Pasfoto digital",
    "Digital passport photo",
    PHOTO_TEXT_ID
    + " Tidak wajib: foto paspor tetap diambil saat biometrik, tetapi pasfoto yang lolos"
    " pemeriksaan membantu petugas menyiapkan permohonan Anda.",
    PHOTO_TEXT_EN
    + " Optional: the passport's photo is still taken with your biometrics, but a photo that"
    " passes the check helps the officer prepare your application.",
    uploadable=True,
    optional=True,
)
SPLP_PHOTO = _req(
    "Pasfoto digital",
    "Digital passport photo",
    PHOTO_TEXT_ID + " Foto ini dicetak pada SPLP.",
    PHOTO_TEXT_EN + " This photo is printed on the SPLP.",
    uploadable=True,
)
ID_CARD = _req(
    "KTP elektronik, Kartu Keluarga atau akta kelahiran",
    "Indonesian ID card (KTP), family card (KK) or birth certificate",
    "Salah satu dokumen yang memuat NIK atau data kelahiran Anda.",
    "One document showing your NIK or your birth details.",
    form="original_and_copy",
    uploadable=True,
)

CATALOGUE: list[dict[str, Any]] = [
    {
        "fields": {
            "code": "paspor-baru",
            "category": "passport",
            "order": 10,
            "name_id": "Paspor elektronik baru",
            "name_en": "New electronic passport",
            "summary_id": "Paspor pertama, misalnya untuk anak yang lahir di luar negeri.",
            "summary_en": "A first passport, for example for a child born abroad.",
            "description_id": "Untuk WNI yang belum pernah memiliki paspor. Anak di bawah 17 tahun datang bersama kedua orang tua.",
            "description_en": "For citizens who have never held a passport. Children under 17 come with both parents.",
            "service_level_days": 5,
            "counter_minutes": 20,
            "in_person": True,
            "channels": ["weekday", "saturday", "pertiwi"],
        },
        "requirements": [
            ONLINE_FORM,
            _req("Akta kelahiran", "Birth certificate", form="original_and_copy", uploadable=True),
            ID_CARD,
            _req(
                "Paspor kedua orang tua (untuk anak)",
                "Both parents' passports (for a child)",
                form="original_and_copy",
                uploadable=True,
                optional=True,
            ),
            _req(
                "Buku nikah atau akta perkawinan orang tua (untuk anak)",
                "Parents' marriage certificate (for a child)",
                form="original_and_copy",
                uploadable=True,
                optional=True,
            ),
            STATUS_IN_CANADA,
            PASSPORT_PHOTO,
            BIOMETRICS,
        ],
        "fees": [_fee("Paspor elektronik 10 tahun", "Electronic passport, 10 years", "65.00")],
    },
    {
        "fields": {
            "code": "paspor-ganti",
            "category": "passport",
            "order": 20,
            "name_id": "Penggantian paspor elektronik",
            "name_en": "Electronic passport renewal",
            "summary_id": "Paspor habis masa berlaku, hampir habis, atau halamannya penuh.",
            "summary_en": "Your passport has expired, will expire soon, or is full.",
            "service_level_days": 5,
            "counter_minutes": 15,
            "in_person": True,
            "channels": ["weekday", "saturday", "pertiwi"],
        },
        "requirements": [
            ONLINE_FORM,
            _req(
                "Paspor lama",
                "Current passport",
                "Dibawa saat datang; akan dibatalkan dan dikembalikan.",
                "Bring it with you; it is cancelled and returned.",
                form="original_and_copy",
                uploadable=True,
            ),
            STATUS_IN_CANADA,
            PASSPORT_PHOTO,
            BIOMETRICS,
        ],
        "fees": [_fee("Paspor elektronik 10 tahun", "Electronic passport, 10 years", "65.00")],
    },
    {
        "fields": {
            "code": "paspor-hilang-rusak",
            "category": "passport",
            "order": 30,
            "name_id": "Penggantian paspor hilang atau rusak",
            "name_en": "Replacement of a lost or damaged passport",
            "summary_id": "Paspor hilang, dicuri atau rusak.",
            "summary_en": "Your passport was lost, stolen or damaged.",
            "description_id": "Paspor yang hilang harus dilaporkan ke polisi setempat terlebih dahulu. Petugas akan mewawancarai Anda.",
            "description_en": "A lost passport must first be reported to the local police. An officer will interview you.",
            "service_level_days": 10,
            "counter_minutes": 30,
            "in_person": True,
            "channels": ["weekday", "saturday", "pertiwi"],
        },
        "requirements": [
            ONLINE_FORM,
            _req(
                "Laporan kehilangan dari polisi (untuk paspor hilang)",
                "Police report (for a lost passport)",
                "Dari kepolisian tempat paspor hilang.",
                "From the police where the passport was lost.",
                form="original_and_copy",
                uploadable=True,
                optional=True,
            ),
            _req(
                "Paspor yang rusak (untuk paspor rusak)",
                "The damaged passport (for a damaged passport)",
                form="original",
                optional=True,
            ),
            ID_CARD,
            _req(
                "Surat pernyataan kehilangan atau kerusakan",
                "Statement on the loss or damage",
                "Ditandatangani di hadapan petugas.",
                "Signed before an officer.",
                kind="condition",
            ),
            STATUS_IN_CANADA,
            PASSPORT_PHOTO,
            BIOMETRICS,
        ],
        "fees": [
            _fee(
                "Paspor hilang (termasuk denda)", "Lost passport (including the penalty)", "165.00"
            ),
            _fee(
                "Paspor rusak (termasuk denda)",
                "Damaged passport (including the penalty)",
                "115.00",
            ),
        ],
    },
    {
        "fields": {
            "code": "splp",
            "category": "passport",
            "order": 40,
            "name_id": "Surat Perjalanan Laksana Paspor (SPLP)",
            "name_en": "Emergency travel document (SPLP)",
            "summary_id": "Dokumen perjalanan darurat untuk pulang ke Indonesia.",
            "summary_en": "An emergency travel document to return to Indonesia.",
            "description_id": "Berlaku untuk satu kali perjalanan ke Indonesia, misalnya bila paspor hilang dan Anda harus segera pulang.",
            "description_en": "Valid for one journey to Indonesia, for example when your passport is lost and you must travel soon.",
            "service_level_days": 1,
            "counter_minutes": 20,
            "in_person": True,
            "channels": ["weekday", "saturday", "pertiwi"],
        },
        "requirements": [
            ID_CARD,
            _req(
                "Tiket atau rencana perjalanan ke Indonesia",
                "Ticket or travel plan to Indonesia",
                form="copy",
                uploadable=True,
            ),
            _req(
                "Laporan kehilangan dari polisi (bila paspor hilang)",
                "Police report (if the passport was lost)",
                form="original_and_copy",
                uploadable=True,
                optional=True,
            ),
            SPLP_PHOTO,
            BIOMETRICS,
        ],
        "fees": [_fee("SPLP", "SPLP", "20.00")],
    },
    {
        "fields": {
            "code": "legalisasi",
            "category": "legal",
            "order": 50,
            "name_id": "Legalisasi dokumen",
            "name_en": "Legalisation of documents",
            "summary_id": "Pengesahan tanda tangan pada dokumen Kanada untuk dipakai di Indonesia.",
            "summary_en": "Authentication of signatures on Canadian documents for use in Indonesia.",
            "description_id": "Dokumen harus sudah dilegalisasi oleh Global Affairs Canada atau pejabat provinsi yang berwenang.",
            "description_en": "The document must first be authenticated by Global Affairs Canada or the competent provincial office.",
            "service_level_days": 3,
            "counter_minutes": 10,
            "in_person": False,
            "channels": ["weekday", "saturday", "remote"],
        },
        "requirements": [
            _req(
                "Dokumen yang akan dilegalisasi",
                "The document to be legalised",
                form="original",
                uploadable=True,
            ),
            _req(
                "Fotokopi paspor atau identitas pemohon",
                "Copy of the applicant's passport or ID",
                form="copy",
                uploadable=True,
            ),
            _req(
                "Amplop balasan berperangko (bila lewat pos)",
                "Prepaid return envelope (by mail)",
                form="original",
                optional=True,
            ),
        ],
        "fees": [_fee("Per dokumen", "Per document", "25.00")],
    },
    {
        "fields": {
            "code": "lapor-kelahiran",
            "category": "civil",
            "order": 60,
            "name_id": "Pelaporan kelahiran",
            "name_en": "Birth report",
            "summary_id": "Mencatatkan kelahiran anak WNI di Kanada.",
            "summary_en": "Registering the birth in Canada of a citizen's child.",
            "service_level_days": 5,
            "counter_minutes": 20,
            "in_person": False,
            "channels": ["weekday", "saturday", "remote"],
        },
        "requirements": [
            _req(
                "Akta kelahiran Kanada (Statement of Live Birth)",
                "Canadian birth certificate",
                form="original_and_copy",
                uploadable=True,
            ),
            _req("Paspor kedua orang tua", "Both parents' passports", form="copy", uploadable=True),
            _req(
                "Buku nikah atau akta perkawinan orang tua",
                "Parents' marriage certificate",
                form="copy",
                uploadable=True,
            ),
        ],
        "fees": [_fee("Pelaporan kelahiran", "Birth report", "0.00")],
    },
    {
        "fields": {
            "code": "lapor-perkawinan",
            "category": "civil",
            "order": 70,
            "name_id": "Pelaporan perkawinan",
            "name_en": "Marriage report",
            "summary_id": "Mencatatkan perkawinan WNI yang dilangsungkan di Kanada.",
            "summary_en": "Registering a citizen's marriage that took place in Canada.",
            "service_level_days": 5,
            "counter_minutes": 20,
            "in_person": False,
            "channels": ["weekday", "saturday", "remote"],
        },
        "requirements": [
            _req(
                "Akta perkawinan Kanada",
                "Canadian marriage certificate",
                form="original_and_copy",
                uploadable=True,
            ),
            _req("Paspor kedua mempelai", "Both spouses' passports", form="copy", uploadable=True),
        ],
        "fees": [_fee("Pelaporan perkawinan", "Marriage report", "0.00")],
    },
    {
        "fields": {
            "code": "lapor-kematian",
            "category": "civil",
            "order": 80,
            "name_id": "Pelaporan kematian",
            "name_en": "Death report",
            "summary_id": "Melaporkan WNI yang meninggal di Kanada dan mengurus pemulangan jenazah.",
            "summary_en": "Reporting the death of a citizen in Canada and arranging repatriation.",
            "service_level_days": 1,
            "counter_minutes": 30,
            "in_person": False,
            "channels": ["weekday", "remote"],
        },
        "requirements": [
            _req(
                "Surat kematian dari Kanada",
                "Canadian death certificate",
                form="original_and_copy",
                uploadable=True,
            ),
            _req(
                "Paspor almarhum/almarhumah",
                "Passport of the deceased",
                form="original",
                uploadable=True,
            ),
            _req("Identitas pelapor", "Reporting person's ID", form="copy", uploadable=True),
        ],
        "fees": [_fee("Pelaporan kematian", "Death report", "0.00")],
    },
    {
        "fields": {
            "code": "surat-keterangan",
            "category": "legal",
            "order": 90,
            "name_id": "Surat keterangan",
            "name_en": "Certificate letters",
            "summary_id": "Surat keterangan untuk berbagai keperluan, misalnya pindah barang atau belum menikah.",
            "summary_en": "Certificate letters for various purposes, e.g. moving goods or single status.",
            "service_level_days": 3,
            "counter_minutes": 15,
            "in_person": False,
            "channels": ["weekday", "saturday", "remote"],
        },
        "requirements": [
            _req("Paspor pemohon", "Applicant's passport", form="copy", uploadable=True),
            _req(
                "Dokumen pendukung sesuai keperluan",
                "Supporting documents for the purpose",
                form="copy",
                uploadable=True,
            ),
        ],
        "fees": [_fee("Per surat", "Per letter", "15.00")],
    },
    {
        "fields": {
            "code": "affidavit",
            "category": "citizenship",
            "order": 100,
            "name_id": "Affidavit anak berkewarganegaraan ganda terbatas",
            "name_en": "Affidavit for a child with limited dual citizenship",
            "summary_id": "Fasilitas keimigrasian bagi anak berkewarganegaraan ganda (UU 12/2006).",
            "summary_en": "Immigration facility for children with dual citizenship (Law 12/2006).",
            "service_level_days": 5,
            "counter_minutes": 20,
            "in_person": True,
            "channels": ["weekday", "saturday"],
        },
        "requirements": [
            ONLINE_FORM,
            _req(
                "Paspor asing anak",
                "The child's foreign passport",
                form="original_and_copy",
                uploadable=True,
            ),
            _req(
                "Akta kelahiran anak",
                "The child's birth certificate",
                form="original_and_copy",
                uploadable=True,
            ),
            _req("Paspor kedua orang tua", "Both parents' passports", form="copy", uploadable=True),
            _req(
                "Bukti pelaporan kelahiran di perwakilan",
                "Proof of the birth report at the mission",
                form="copy",
                uploadable=True,
            ),
        ],
        "fees": [_fee("Affidavit", "Affidavit", "25.00")],
    },
    {
        "fields": {
            "code": "lapor-diri",
            "category": "registration",
            "order": 110,
            "name_id": "Lapor diri",
            "name_en": "Self-registration (lapor diri)",
            "summary_id": "Daftarkan keberadaan Anda agar perwakilan dapat membantu saat darurat.",
            "summary_en": "Register your stay so the mission can help you in an emergency.",
            "service_level_days": 1,
            "counter_minutes": 5,
            "in_person": False,
            "channels": ["remote", "weekday"],
        },
        "requirements": [
            _req("Paspor yang masih berlaku", "Valid passport", form="copy", uploadable=True),
            _req(
                "Alamat tinggal di wilayah kerja perwakilan",
                "Home address in the mission's jurisdiction",
                kind="condition",
            ),
        ],
        "fees": [_fee("Lapor diri", "Self-registration", "0.00")],
    },
]
