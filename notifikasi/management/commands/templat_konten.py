"""Print every message template as the Twilio Content API takes it, for submission to WhatsApp.

    manage.py templat_konten [--kode KODE ...] > konten.json

One JSON list; each item is the body of `POST https://content.twilio.com/v1/Content` plus, under
`persetujuan_whatsapp`, the body of `POST /v1/Content/{HX...}/ApprovalRequests/whatsapp` (name,
category), or null for list pickers, which WhatsApp does not approve (sent only inside the 24-hour
window the resident opened). After approval paste the HX SID into the admin's TemplatPesan row; the
relay then sends ContentSid + ContentVariables in the order of `variabel_konten` (docs/notifikasi.md).
"""

import json
import re

from django.core.management.base import BaseCommand, CommandError

from notifikasi.services import templat_untuk_banyak
from notifikasi.templat_bawaan import BAWAAN, KATEGORI_WHATSAPP, KONTEN

# One sample per variable name (WhatsApp requires a sample for each {{n}}).
CONTOH = {
    "nomor": "PB7K-Q2XM", "nomor_registrasi": "PB7K-Q2XM", "layanan": "Surat Keterangan Domisili",
    "tautan": "https://simpatik.example.id/lacak/PB7K-Q2XM/", "tautan_unduh": "https://simpatik.example.id/u/abc/",
    "tautan_survei": "https://simpatik.example.id/survei/abc/", "tautan_pengaduan": "https://simpatik.example.id/pengaduan/",
    "alasan": "foto KTP tidak terbaca", "status": "Diverifikasi", "kode": "482913", "menit": "5",
    "kantor": "Kelurahan Medono", "ringkasan": "12 masuk, 10 selesai, 1 terlambat", "kelurahan": "Medono",
    "terpakai_jam": "6", "jatah_jam": "8", "tenggat": "03-12-2026 15:00", "tahap": "Kecamatan Pekalongan Barat",
    "jumlah": "3", "daftar": "PB7K-Q2XM, X9TA-4RMC", "lainnya": "2", "langkah": "Menunggu persetujuan lurah.",
    "urutan": "1", "pertanyaan": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "p1": "Buruk", "p2": "Cukup", "p3": "Baik", "p4": "Sangat baik", "terjawab": "5",
}


def badan_konten(isi: str, variabel: list[str]) -> str:
    """A Django template text with {{ name }} as WhatsApp's {{1}}, {{2}}... in the order of `variabel`;
    an {% if %} block is kept with its content (the variable then reads "-" when empty)."""
    teks = re.sub(r"{%\s*if [^%]*%}(.*?){%\s*endif\s*%}", r"\1", isi, flags=re.S)

    def nomor(m):
        nama = m.group(1)
        if nama not in variabel:
            raise CommandError(f"variabel {nama!r} tidak ada di variabel_konten {variabel}")
        return f"{{{{{variabel.index(nama) + 1}}}}}"

    return re.sub(r"{{\s*(\w+)\s*}}", nomor, teks).strip()


def konten(templat) -> dict:
    kode = templat.kode
    variabel = list(templat.variabel_konten)
    badan = badan_konten(templat.isi, variabel)
    kategori = KATEGORI_WHATSAPP.get(kode, "UTILITY")
    jenis = {"twilio/text": {"body": badan}}
    tambahan = KONTEN.get(kode, {})
    if kategori == "AUTHENTICATION":
        # WhatsApp fixes the text of a code; the single variable is the code itself.
        jenis = {"whatsapp/authentication": {"add_security_recommendation": True,
                                             "code_expiration_minutes": 5,
                                             "actions": [{"type": "COPY_CODE", "copy_code_text": "Salin kode"}]}}
        variabel = ["kode"]
    elif tambahan.get("jenis") == "twilio/quick-reply":
        jenis["twilio/quick-reply"] = {"body": badan, "actions": [{"id": i, "title": t} for i, t in tambahan["tombol"]]}
    elif tambahan.get("jenis") == "twilio/list-picker":
        jenis["twilio/list-picker"] = {"body": badan, "button": tambahan["tombol_daftar"],
                                       "items": [dict(b) for b in tambahan["butir"]]}
    sesi_saja = "twilio/list-picker" in jenis
    return {
        "friendly_name": f"simpatik_{kode}",
        "language": "en" if kode.endswith("_en") else "id",
        "variables": {str(i): CONTOH.get(nama, nama) for i, nama in enumerate(variabel, 1)},
        "types": jenis,
        "persetujuan_whatsapp": None if sesi_saja else {"name": f"simpatik_{kode}", "category": kategori},
    }


class Command(BaseCommand):
    help = "Cetak templat pesan sebagai JSON Twilio Content API untuk diajukan ke WhatsApp."

    def add_arguments(self, parser):
        parser.add_argument("--kode", nargs="*", help="hanya templat ini")

    def handle(self, *args, kode=None, **opsi):
        pilih = kode or sorted(BAWAAN)
        tidak_dikenal = set(pilih) - set(BAWAAN)
        if tidak_dikenal:
            raise CommandError(f"templat tidak dikenal: {', '.join(sorted(tidak_dikenal))}")
        templat = templat_untuk_banyak(set(pilih))  # the admin's text when it was edited
        self.stdout.write(json.dumps([konten(templat[k]) for k in pilih], ensure_ascii=False, indent=2))
