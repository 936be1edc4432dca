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
        "Mohon isi survei kepuasan singkat di {{ tautan_survei }}. Apakah ada yang meminta bayaran? "
        "Sampaikan juga di sana. " + TANPA_BIAYA,
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
]

BAWAAN = {t["kode"]: t for t in TEMPLAT}


def pasang_templat_bawaan(TemplatPesan):
    """Create the rows that do not exist yet (never overwrite an admin's edit). Model class passed in for migrations."""
    for t in TEMPLAT:
        TemplatPesan.objects.get_or_create(kode=t["kode"], defaults={k: v for k, v in t.items() if k != "kode"})
