"""Default message templates, in Bahasa Indonesia.

A TemplatPesan row with the same kode overrides the text (admins edit it and
attach the approved Twilio ContentSid); without a row, the default here is
used, so a missing row never blocks a request's transition. An inactive row
turns that kind of message off (kept as `dilewati`).

ContentSid is empty: each deployment submits these texts to WhatsApp for
approval in its own Twilio account and fills the HX... SID in the admin.
`variabel_konten` fixes the order of {{1}}, {{2}}, ... in that approved text.
"""

TANPA_BIAYA = "Layanan ini tidak dipungut biaya. Laporkan bila ada yang meminta bayaran."

TEMPLAT = [
    {
        "kode": "permohonan_diterima",
        "nama": "Permohonan diterima",
        "isi": "Permohonan {{ layanan }} Anda sudah kami terima dengan nomor {{ nomor }}. "
        "Pantau prosesnya di {{ tautan }}. " + TANPA_BIAYA,
        "variabel_konten": ["nomor", "layanan", "tautan"],
        "sms_cadangan": True,
    },
    {
        "kode": "perlu_perbaikan",
        "nama": "Permohonan perlu perbaikan",
        "isi": "Permohonan {{ layanan }} nomor {{ nomor }} perlu diperbaiki: {{ alasan }}. "
        "Silakan perbaiki di {{ tautan }}.",
        "variabel_konten": ["nomor", "layanan", "alasan", "tautan"],
        "sms_cadangan": True,
    },
    {
        "kode": "diteruskan_kecamatan",
        "nama": "Diteruskan ke kecamatan",
        "isi": "Permohonan {{ layanan }} nomor {{ nomor }} sudah disetujui lurah dan diteruskan ke kecamatan. "
        "Pantau di {{ tautan }}.",
        "variabel_konten": ["nomor", "layanan", "tautan"],
        "sms_cadangan": False,
    },
    {
        "kode": "selesai",
        "nama": "Surat selesai",
        "isi": "{{ layanan }} untuk permohonan {{ nomor }} sudah selesai dan ditandatangani. "
        "Unduh di {{ tautan_unduh }} (tautan berlaku terbatas). " + TANPA_BIAYA,
        "variabel_konten": ["nomor", "layanan", "tautan_unduh"],
        "sms_cadangan": True,
    },
    {
        "kode": "ditolak",
        "nama": "Permohonan ditolak",
        "isi": "Permohonan {{ layanan }} nomor {{ nomor }} ditolak: {{ alasan }}. "
        "Bila Anda keberatan, sampaikan pengaduan di {{ tautan_pengaduan }}.",
        "variabel_konten": ["nomor", "layanan", "alasan", "tautan_pengaduan"],
        "sms_cadangan": True,
    },
    {
        "kode": "dibatalkan",
        "nama": "Permohonan dibatalkan",
        "isi": "Permohonan {{ layanan }} nomor {{ nomor }} sudah dibatalkan sesuai permintaan Anda.",
        "variabel_konten": ["nomor", "layanan"],
        "sms_cadangan": False,
    },
    {
        "kode": "status_diperbarui",
        "nama": "Status permohonan berubah",
        "isi": "Permohonan {{ nomor }} ({{ layanan }}): {{ status }}. Pantau di {{ tautan }}",
        "variabel_konten": ["nomor", "layanan", "status", "tautan"],
        "sms_cadangan": False,
    },
    {
        "kode": "survei_undangan",
        "nama": "Undangan survei kepuasan",
        "isi": "Terima kasih telah memakai layanan kami (permohonan {{ nomor }}). "
        "Mohon isi survei kepuasan singkat: tekan tombol di bawah (atau balas SURVEI) untuk menjawab di sini, "
        "atau buka {{ tautan_survei }}. Apakah ada yang meminta bayaran? Sampaikan juga. " + TANPA_BIAYA,
        "variabel_konten": ["nomor", "tautan_survei"],
        "sms_cadangan": False,
    },
    {
        "kode": "kode_otp",
        "nama": "Kode masuk",
        "isi": "Kode masuk Simpatik Anda: {{ kode }}. Berlaku {{ menit }} menit. "
        "Jangan berikan kode ini kepada siapa pun, termasuk petugas.",
        "variabel_konten": ["kode", "menit"],
        "sms_cadangan": True,
        "diminta_penerima": True,
        "rahasia": True,
    },
    {
        "kode": "digest_harian",
        "nama": "Ringkasan harian pimpinan",
        "isi": "Ringkasan harian layanan {{ kantor }}: {{ ringkasan }}",
        "variabel_konten": ["kantor", "ringkasan"],
        "sms_cadangan": False,
    },
    # Officers, from the SLA sweep (layanan/sla.py).
    {
        "kode": "sla_rawan",
        "nama": "SLA rawan: 75% jatah waktu terpakai",
        "isi": (
            "Simpatik: permohonan {{ nomor_registrasi }} ({{ layanan }}, {{ kelurahan }}) sudah memakai "
            "{{ terpakai_jam }} dari {{ jatah_jam }} jam kerja. Tenggat {{ tenggat }}. Mohon segera diproses: "
            "{{ tautan }}"
        ),
        "variabel_konten": ["nomor_registrasi", "layanan", "kelurahan", "terpakai_jam", "jatah_jam", "tenggat", "tautan"],
    },
    {
        "kode": "sla_terlambat",
        "nama": "SLA terlambat: tenggat terlewati",
        "isi": (
            "Simpatik: permohonan {{ nomor_registrasi }} ({{ layanan }}, {{ kelurahan }}) melewati tenggat "
            "{{ tenggat }} ({{ terpakai_jam }} dari {{ jatah_jam }} jam kerja), kini di tahap {{ tahap }}. "
            "{{ tautan }}"
        ),
        "variabel_konten": ["nomor_registrasi", "layanan", "kelurahan", "tenggat", "terpakai_jam", "jatah_jam", "tahap", "tautan"],
    },
    # One message per officer instead of one per request when a sweep finds several at once.
    {
        "kode": "sla_rawan_banyak",
        "nama": "SLA rawan: ringkasan beberapa permohonan",
        "isi": (
            "Simpatik: {{ jumlah }} permohonan sudah memakai 75% jatah waktunya: {{ daftar }}"
            "{% if lainnya %} dan {{ lainnya }} lainnya{% endif %}. Mohon segera diproses: {{ tautan }}"
        ),
        "variabel_konten": ["jumlah", "daftar", "lainnya", "tautan"],
    },
    {
        "kode": "sla_terlambat_banyak",
        "nama": "SLA terlambat: ringkasan beberapa permohonan",
        "isi": (
            "Simpatik: {{ jumlah }} permohonan melewati tenggat: {{ daftar }}"
            "{% if lainnya %} dan {{ lainnya }} lainnya{% endif %}. Daftarnya: {{ tautan }}"
        ),
        "variabel_konten": ["jumlah", "daftar", "lainnya", "tautan"],
    },
    # Signers, when letters wait for their certified signature (layanan/surat/tte, docs/surat.md).
    {
        "kode": "siap_ditandatangani",
        "nama": "Surat siap ditandatangani (TTE)",
        "isi": (
            "Simpatik: surat {{ layanan }} untuk permohonan {{ nomor_registrasi }} siap ditandatangani. "
            "Buka antrean dan masukkan passphrase TTE Anda: {{ tautan }}"
        ),
        "variabel_konten": ["layanan", "nomor_registrasi", "tautan"],
    },
    {
        "kode": "tte_pulih",
        "nama": "Layanan TTE pulih: surat menunggu tanda tangan",
        "isi": (
            "Simpatik: layanan BSrE sudah dapat dihubungi lagi. {{ jumlah }} surat yang Anda setujui menunggu "
            "tanda tangan: {{ tautan }}"
        ),
        "variabel_konten": ["jumlah", "tautan"],
    },
    {
        "kode": "koreksi_diterima",
        "nama": "Koreksi data diterima",
        "isi": "Simpatik: permintaan koreksi data Anda ({{ kolom }}) diterima dan data Anda sudah diperbaiki.",
        "variabel_konten": ["kolom"],
        "sms_cadangan": True,
    },
    {
        "kode": "koreksi_ditolak",
        "nama": "Koreksi data ditolak",
        "isi": "Simpatik: permintaan koreksi data Anda ({{ kolom }}) ditolak: {{ alasan }}. "
        "Anda dapat mengajukannya lagi dengan bukti, atau menyampaikan pengaduan.",
        "variabel_konten": ["kolom", "alasan"],
        "sms_cadangan": True,
    },
]

# --- the conversation (notifikasi/obrolan.py): every reply in Indonesian and, with suffix _en, English ---
# Each is a reply inside the 24-hour window the resident's own message opened; the ones with buttons
# are Twilio content types (KONTEN below), their text here is what a client without buttons shows.
OBROLAN = [
    ("obrolan_menu", "Menu percakapan", [],
     "Simpatik melayani lewat WhatsApp. Balas CEK diikuti nomor registrasi (mis. CEK PB7K-Q2XM) untuk status "
     "permohonan, SURVEI untuk survei kepuasan, LAPOR untuk melapor pungli atau calo. ENGLISH for English.",
     "Simpatik on WhatsApp. Reply CEK and a registration number (e.g. CEK PB7K-Q2XM) for the status of a "
     "request, SURVEI for the satisfaction survey, LAPOR to report extortion or brokers. BAHASA untuk "
     "Bahasa Indonesia."),
    ("obrolan_bahasa", "Bahasa percakapan diganti", [],
     "Baik, kami akan membalas dalam Bahasa Indonesia.", "OK, we will reply in English."),
    ("obrolan_terlalu_sering", "Terlalu banyak pesan", [],
     "Pesan Anda terlalu banyak dalam satu menit. Mohon tunggu sebentar lalu kirim lagi.",
     "Too many messages in one minute. Please wait a moment and send again."),
    ("obrolan_status_pemilik", "Status permohonan (pemilik)", ["nomor", "layanan", "status", "tahap", "tenggat", "langkah"],
     "Permohonan {{ nomor }} ({{ layanan }}): {{ status }}. Tahap: {{ tahap }}. Tenggat: {{ tenggat }}. "
     "Langkah berikutnya: {{ langkah }}",
     "Request {{ nomor }} ({{ layanan }}): {{ status }}. Stage: {{ tahap }}. Deadline: {{ tenggat }}. "
     "Next step: {{ langkah }}"),
    ("obrolan_status_publik", "Status permohonan (umum)", ["nomor", "layanan", "status", "tautan"],
     "Permohonan {{ nomor }} ({{ layanan }}): {{ status }}. Rinciannya hanya dikirim ke nomor pemohon; "
     "riwayat umum di {{ tautan }}",
     "Request {{ nomor }} ({{ layanan }}): {{ status }}. Details go only to the applicant's number; the "
     "public history is at {{ tautan }}"),
    ("obrolan_status_tidak_ada", "Nomor registrasi tidak dikenal", ["nomor"],
     "Nomor registrasi {{ nomor }} tidak kami temukan. Periksa lagi, mis. CEK PB7K-Q2XM.",
     "We found no request numbered {{ nomor }}. Please check it, e.g. CEK PB7K-Q2XM."),
    ("obrolan_status_kosong", "Tidak ada permohonan atas nomor ini", [],
     "Tidak ada permohonan atas nomor WhatsApp ini. Kirim CEK diikuti nomor registrasinya.",
     "No request is registered to this WhatsApp number. Send CEK and the registration number."),
    ("obrolan_survei_tanya", "Survei: satu pertanyaan skala 1-4",
     ["urutan", "jumlah", "pertanyaan", "p1", "p2", "p3", "p4"],
     "Survei {{ urutan }}/{{ jumlah }}: {{ pertanyaan }} Balas 1 ({{ p1 }}), 2 ({{ p2 }}), 3 ({{ p3 }}) atau "
     "4 ({{ p4 }}). NANTI untuk berhenti sejenak.",
     "Survey {{ urutan }}/{{ jumlah }}: {{ pertanyaan }} Reply 1 ({{ p1 }}), 2 ({{ p2 }}), 3 ({{ p3 }}) or "
     "4 ({{ p4 }}). NANTI to pause."),
    ("obrolan_survei_bayar", "Survei: diminta membayar?", ["urutan", "jumlah", "pertanyaan"],
     "Survei {{ urutan }}/{{ jumlah }}: {{ pertanyaan }} Balas YA atau TIDAK.",
     "Survey {{ urutan }}/{{ jumlah }}: {{ pertanyaan }} Reply YA (yes) or TIDAK (no)."),
    ("obrolan_survei_salah", "Survei: jawaban tidak dikenali", [],
     "Jawaban itu tidak kami kenali. Pilih salah satu tombol, atau balas angka/kata yang diminta.",
     "We did not recognise that answer. Tap one of the buttons, or reply with the number/word asked for."),
    ("obrolan_survei_jeda", "Survei dijeda", ["terjawab", "jumlah"],
     "Survei disimpan ({{ terjawab }} dari {{ jumlah }} terjawab). Balas LANJUT kapan saja untuk meneruskan.",
     "Survey saved ({{ terjawab }} of {{ jumlah }} answered). Reply LANJUT any time to continue."),
    ("obrolan_survei_selesai", "Survei terkirim", [],
     "Terima kasih, survei Anda sudah tersimpan tanpa nama. " + TANPA_BIAYA,
     "Thank you, your survey is stored anonymously. This service is free of charge; report anyone who asks "
     "for money."),
    ("obrolan_survei_tidak_ada", "Tidak ada survei yang menunggu", [],
     "Tidak ada permohonan selesai atas nomor ini yang menunggu survei.",
     "No finished request of this number is waiting for a survey."),
    ("obrolan_lapor_jenis", "Pengaduan: pilih jenis", [],
     "Apa yang ingin Anda laporkan? Balas PUNGLI, CALO, LAMBAT, PERILAKU atau LAINNYA. BATAL untuk batal.",
     "What do you want to report? Reply PUNGLI (extortion), CALO (broker), LAMBAT (slow), PERILAKU "
     "(conduct) or LAINNYA (other). BATAL to cancel."),
    ("obrolan_lapor_anonim", "Pengaduan: anonim?", [],
     "Laporkan tanpa nama (ANONIM), atau SERTAKAN nomor ini agar inspektorat dapat menghubungi Anda? "
     "Kantor yang Anda laporkan tidak pernah melihatnya.",
     "Report anonymously (ANONIM), or SERTAKAN (include) this number so the inspectorate can contact you? "
     "The office you report never sees it."),
    ("obrolan_lapor_isi", "Pengaduan: ceritakan", [],
     "Ceritakan kejadiannya: kapan, di mana, siapa, dan berapa yang diminta bila ada. Jangan tulis NIK Anda.",
     "Tell us what happened: when, where, who, and how much was asked, if any. Do not write your NIK."),
    ("obrolan_lapor_bukti", "Pengaduan: foto bukti", [],
     "Kirim satu foto bukti (JPEG/PNG) atau PDF, atau balas LEWATI bila tidak ada.",
     "Send one photo (JPEG/PNG) or PDF as evidence, or reply LEWATI (skip) if you have none."),
    ("obrolan_lapor_galat", "Pengaduan: isian ditolak", ["alasan"],
     "Maaf, belum dapat diterima: {{ alasan }} Silakan kirim lagi.",
     "Sorry, this cannot be accepted: {{ alasan }} Please send it again."),
    ("obrolan_lapor_diterima", "Pengaduan diterima", ["kode", "tautan"],
     "Pengaduan Anda diterima dengan kode {{ kode }}. Simpan kode ini; pantau tindak lanjutnya di {{ tautan }}",
     "Your report was received with code {{ kode }}. Keep this code; follow it at {{ tautan }}"),
]
for _kode, _nama, _variabel, _isi, _isi_en in OBROLAN:
    TEMPLAT.append({"kode": _kode, "nama": _nama, "isi": _isi, "variabel_konten": _variabel, "diminta_penerima": True})
    TEMPLAT.append({"kode": f"{_kode}_en", "nama": f"{_nama} (English)", "isi": _isi_en, "variabel_konten": _variabel,
                    "diminta_penerima": True})

# Twilio content types beyond plain text (manage.py templat_konten prints the whole submission). Button
# ids come back to the webhook as ButtonPayload / ListId and are read as if typed. List pickers cannot be
# approved by WhatsApp: they are sent only inside the session the resident opened.
_SKALA = [{"id": str(i), "item": f"{{{{{3 + i}}}}}", "description": str(i)} for i in range(1, 5)]
KONTEN = {
    "survei_undangan": {"jenis": "twilio/quick-reply", "tombol": [("SURVEI", "Isi survei di sini"), ("NANTI", "Nanti saja")],
                        "tombol_en": [("SURVEI", "Answer here"), ("NANTI", "Later")]},
    "obrolan_menu": {"jenis": "twilio/quick-reply", "tombol": [("STATUS", "Status permohonan"), ("SURVEI", "Survei"),
                                                             ("LAPOR", "Lapor pungli")],
                     "tombol_en": [("STATUS", "Request status"), ("SURVEI", "Survey"), ("LAPOR", "Report")]},
    "obrolan_survei_tanya": {"jenis": "twilio/list-picker", "tombol_daftar": "Pilih jawaban", "tombol_daftar_en": "Choose",
                             "butir": _SKALA},
    "obrolan_survei_bayar": {"jenis": "twilio/quick-reply", "tombol": [("YA", "Ya"), ("TIDAK", "Tidak")],
                             "tombol_en": [("YA", "Yes"), ("TIDAK", "No")]},
    "obrolan_survei_jeda": {"jenis": "twilio/quick-reply", "tombol": [("LANJUT", "Lanjutkan survei")],
                            "tombol_en": [("LANJUT", "Continue survey")]},
    "obrolan_lapor_jenis": {"jenis": "twilio/list-picker", "tombol_daftar": "Pilih jenis", "tombol_daftar_en": "Choose",
                            "butir": [{"id": "PUNGLI", "item": "Pungutan liar", "description": "Diminta uang/imbalan"},
                                      {"id": "CALO", "item": "Percaloan", "description": "Ada calo"},
                                      {"id": "LAMBAT", "item": "Layanan lambat", "description": "Melewati janji waktu"},
                                      {"id": "PERILAKU", "item": "Perilaku petugas", "description": "Tidak sopan, dsb."},
                                      {"id": "LAINNYA", "item": "Lainnya", "description": "Hal lain"}]},
    "obrolan_lapor_anonim": {"jenis": "twilio/quick-reply", "tombol": [("ANONIM", "Tanpa nama"), ("SERTAKAN", "Sertakan nomor")],
                             "tombol_en": [("ANONIM", "Anonymous"), ("SERTAKAN", "Include my number")]},
    "obrolan_lapor_bukti": {"jenis": "twilio/quick-reply", "tombol": [("LEWATI", "Tidak ada foto")],
                            "tombol_en": [("LEWATI", "No photo")]},
}
for _kode in list(KONTEN):
    if _kode.startswith("obrolan_"):
        KONTEN[f"{_kode}_en"] = {**KONTEN[_kode], "tombol": KONTEN[_kode].get("tombol_en"),
                                 "tombol_daftar": KONTEN[_kode].get("tombol_daftar_en")}
KATEGORI_WHATSAPP = {"kode_otp": "AUTHENTICATION"}  # everything else is UTILITY: it answers or follows a request

BAWAAN = {t["kode"]: t for t in TEMPLAT}


def pasang_templat_bawaan(TemplatPesan):
    """Create the rows that do not exist yet (never overwrite an admin's edit). Model class passed in for migrations."""
    for t in TEMPLAT:
        TemplatPesan.objects.get_or_create(kode=t["kode"], defaults={k: v for k, v in t.items() if k != "kode"})
