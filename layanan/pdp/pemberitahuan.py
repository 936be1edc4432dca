"""The privacy notice (pemberitahuan privasi) a resident reads before the first submission and at sign-in.

Its text is built here from the settings a city sets (controller, data protection officer, contact,
retention periods), so one structure feeds the page, the form and the API. Its version is
`PRIVASI_VERSI` plus the first hex digits of the SHA-256 of the Indonesian text: a city that
changes anything the notice says (a contact, a retention period) makes every resident accept again,
even if it forgot to raise PRIVASI_VERSI. docs/privasi.md "Pemberitahuan privasi".
"""

import hashlib
import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def _lama(hari: int) -> str:
    if not hari:
        return _("tanpa batas otomatis (dihapus atas permintaan atau sesuai jadwal retensi arsip)")
    return _("%(n)d hari") % {"n": hari}


def bagian() -> list[dict]:
    """The notice as titled sections in the active language: [{"kode", "judul", "isi": [paragraphs]}]."""
    s = settings
    kontak = s.PRIVASI_KONTAK + (f", {s.PRIVASI_KONTAK_TELEPON}" if s.PRIVASI_KONTAK_TELEPON else "")
    return [
        {"kode": "pengendali", "judul": _("Siapa yang mengelola data Anda"), "isi": [
            _("%(pengendali)s menyelenggarakan layanan surat kelurahan dan kecamatan ini dan menjadi Pengendali "
              "Data Pribadi atas data yang Anda berikan.") % {"pengendali": s.PRIVASI_PENGENDALI},
        ]},
        {"kode": "data", "judul": _("Data yang kami kumpulkan"), "isi": [
            _("NIK, nama, jenis kelamin, tempat dan tanggal lahir, agama, pekerjaan, status perkawinan, alamat, "
              "nomor WhatsApp, isian formulir layanan, dan berkas persyaratan yang Anda unggah (mis. KTP-el, KK, "
              "surat pengantar RT/RW)."),
        ]},
        {"kode": "tujuan", "judul": _("Untuk apa"), "isi": [
            _("Memeriksa dan memproses permohonan surat Anda, menerbitkan surat yang dapat diverifikasi lewat kode "
              "QR, mengabari Anda lewat WhatsApp, dan mengukur mutu pelayanan. Angka mutu pelayanan (waktu "
              "penyelesaian, survei) dihitung tanpa identitas Anda."),
        ]},
        {"kode": "dasar_hukum", "judul": _("Dasar hukum"), "isi": [
            _("UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi, Pasal 20 ayat (2) huruf e: pelaksanaan tugas "
              "pelayanan publik dan kewenangan pemerintah daerah berdasarkan peraturan perundang-undangan, yaitu "
              "UU No. 25 Tahun 2009 tentang Pelayanan Publik dan UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013 "
              "tentang Administrasi Kependudukan."),
        ]},
        {"kode": "penerima", "judul": _("Siapa yang melihat data Anda"), "isi": [
            _("Petugas dan lurah kelurahan tempat Anda mengajukan; untuk layanan tingkat kecamatan juga petugas "
              "kecamatan dan camat; inspektorat untuk pengawasan (hanya membaca). Daftar kerja menampilkan NIK "
              "dan nomor Anda tersamar; petugas yang membuka data lengkap tercatat, dan catatan itu dapat Anda "
              "lihat di \"Permohonan saya\" → \"Data saya\"."),
            _("Penyedia pesan (Twilio dan WhatsApp) menerima nomor Anda dan isi pesan hanya untuk mengantarkannya."),
        ]},
        {"kode": "retensi", "judul": _("Berapa lama disimpan"), "isi": [
            _("Berkas unggahan permohonan yang selesai: %(berkas)s setelah selesai. Permohonan yang ditolak atau "
              "dibatalkan: data diri, isian dan berkasnya dihapus %(tolak)s setelah ditutup. Catatan kode masuk: "
              "%(otp)s. Isi dan nomor tujuan pesan WhatsApp: %(pesan)s.") % {
                "berkas": _lama(s.RETENSI_BERKAS_SELESAI_HARI), "tolak": _lama(s.RETENSI_DITOLAK_HARI),
                "otp": _lama(s.RETENSI_OTP_HARI), "pesan": _lama(s.RETENSI_OUTBOX_HARI)},
            _("Surat yang sudah terbit disimpan sebagai arsip menurut jadwal retensi arsip pemerintah daerah. "
              "Jejak audit tidak memuat NIK, nama, alamat atau nomor Anda, dan tidak pernah dihapus."),
        ]},
        {"kode": "hak", "judul": _("Hak Anda"), "isi": [
            _("Melihat seluruh data Anda yang kami simpan dan siapa yang pernah membukanya, serta meminta "
              "perbaikan data yang salah, di \"Permohonan saya\" → \"Data saya\". Permintaan perbaikan diputuskan "
              "petugas kelurahan dan hasilnya dikabarkan lewat WhatsApp."),
        ]},
        {"kode": "kontak", "judul": _("Hubungi kami"), "isi": [
            _("%(pejabat)s: %(kontak)s.") % {"pejabat": s.PRIVASI_PEJABAT, "kontak": kontak},
        ]},
    ]


_HASH = {}  # the settings the text is made of -> its hash; built once per process and per settings


_NAMA_PENGATURAN = []


def _pengaturan_teks() -> tuple:
    """The values of every setting the notice may quote (PRIVASI_*, RETENSI_*): the key of its hash."""
    if not _NAMA_PENGATURAN:
        _NAMA_PENGATURAN.extend(sorted(n for n in dir(settings) if n.startswith(("PRIVASI_", "RETENSI_"))))
    return tuple(getattr(settings, n) for n in _NAMA_PENGATURAN)


def sha256_teks() -> str:
    """SHA-256 of the Indonesian notice: what the resident was shown, whatever language they read it in.

    Every submission checks it, and building the text through gettext cost more than the rest of
    the check (issue 22): kept per process, keyed by the settings the text quotes, so a changed
    setting (or a test's override) gives the new text's hash at once."""
    kunci = _pengaturan_teks()
    hasil = _HASH.get(kunci)
    if hasil is None:
        with translation.override("id"):
            teks = json.dumps(bagian(), ensure_ascii=False, sort_keys=True)
        hasil = _HASH[kunci] = hashlib.sha256(teks.encode()).hexdigest()
    return hasil


def versi_berlaku() -> str:
    """The version an acceptance must match: PRIVASI_VERSI and the text's hash prefix."""
    return f"{settings.PRIVASI_VERSI}-{sha256_teks()[:8]}"


def sudah_disetujui(warga) -> bool:
    """Whether this resident accepted the notice in force (read from the row already loaded)."""
    return warga is not None and warga.pk is not None and warga.privasi_versi == versi_berlaku()
