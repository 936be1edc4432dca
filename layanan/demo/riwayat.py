"""Generated request history for the demo: months of plausible requests in the seven kelurahan
of Kecamatan Pekalongan Barat, walked through the real services (`permohonan_ajukan`, `permohonan_aksi`,
and `permohonan_draf_pdf` for the signer's look at the draft before each letter is signed) with their
`waktu=` argument, so every row, audit event, letter number and SLA figure is what the system itself
would have written.

Events of all requests are replayed in time order, so each audit chain also
runs forward in time. Messages the history writes to the outbox are marked
"dilewati" before commit: no resident is ever messaged about a demo request.
"""

import heapq
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from kelurahan.kalender import Kalender, kalender_wilayah
from layanan.models import Layanan, Warga
from layanan.permohonan.services import permohonan_ajukan, permohonan_aksi, permohonan_draf_pdf
from notifikasi.models import Outbox

# Sent by seed_demo after the history is written (kwargs: kelurahan, seed); apps above layanan add their
# own demo rows (integritas: surveys and complaints) and return counts for the console.
riwayat_dibuat = Signal()

KELURAHAN_DEMO = {  # kode -> (weight, petugas, lurah, street names for addresses; demo data)
    "33.75.01.1002": (0.22, "petugas.medono", "lurah.medono", ["Jl. Sriwijaya", "Jl. Kurinci", "Jl. Hos Cokroaminoto",
                                                               "Perum Binagriya", "Jl. Medono Raya"]),
    "33.75.01.1009": (0.18, "petugas.tirto", "lurah.tirto", ["Jl. Raya Tirto", "Perum Tirto Asri", "Jl. Pelita",
                                                             "Jl. Tirto Gg. Mawar"]),
    "33.75.01.1003": (0.12, "petugas.podosugih", "lurah.podosugih", ["Jl. Podosugih", "Jl. Kurinci Gg. 2"]),
    "33.75.01.1004": (0.12, "petugas.sapurokebulen", "lurah.sapurokebulen", ["Jl. Sapuro", "Jl. Kebulen Gg. 4"]),
    "33.75.01.1006": (0.14, "petugas.bendankergon", "lurah.bendankergon", ["Jl. Bendan Raya", "Jl. Kergon Gg. 1"]),
    "33.75.01.1008": (0.10, "petugas.pasirkratonkramat", "lurah.pasirkratonkramat", ["Jl. Pasir Sari",
                                                                                    "Jl. Kraton Kramat"]),
    "33.75.01.1012": (0.12, "petugas.pringrejo", "lurah.pringrejo", ["Jl. Pringrejo", "Jl. Slamet Gg. 6"]),
}
PETUGAS_KECAMATAN, CAMAT = "petugas.pekalonganbarat", "camat.pekalonganbarat"

# How often each service is asked for (published yearly reports: domicile, SKTM and SKU dominate).
BOBOT_LAYANAN = {"domisili": 20, "sktm": 16, "usaha": 14, "pengantar-skck": 12, "pengantar-nikah": 6,
                 "kelahiran": 6, "kematian": 5, "belum-menikah": 7, "pindah": 5, "penghasilan": 6,
                 "janda-duda": 2, "ahli-waris": 3, "iumk": 4, "dispensasi-nikah": 1}

KEPERLUAN = {
    "domisili": ["Pembukaan rekening bank", "Persyaratan kerja", "Pendaftaran sekolah anak"],
    "sktm": ["Keringanan biaya sekolah", "Pengobatan di RSUD Bendan", "Pendaftaran PBI JKN"],
    "usaha": ["Pengajuan KUR", "Bantuan modal usaha", "Kemitraan pemasok"],
    "pengantar-skck": ["Melamar pekerjaan", "Pendaftaran kerja luar negeri"],
    "pengantar-nikah": ["Pendaftaran nikah di KUA Pekalongan Barat"],
    "kelahiran": ["Pengurusan akta kelahiran"],
    "kematian": ["Pengurusan akta kematian", "Klaim asuransi"],
    "ahli-waris": ["Balik nama sertifikat tanah", "Pencairan tabungan almarhum"],
    "belum-menikah": ["Melamar pekerjaan", "Persyaratan beasiswa"],
    "pindah": ["Pindah karena pekerjaan", "Ikut keluarga"],
    "penghasilan": ["Pendaftaran UKT", "Beasiswa sekolah"],
    "janda-duda": ["Pengurusan pensiun janda/duda"],
    "iumk": ["Legalitas usaha batik rumahan", "Pengajuan pembiayaan"],
    "dispensasi-nikah": ["Akad nikah kurang dari 10 hari kerja"],
}
ALASAN_PERBAIKAN = ["Foto KTP-el tidak terbaca, mohon unggah ulang.", "Pengantar RT/RW belum distempel RW.",
                    "Kartu Keluarga yang diunggah bukan KK terbaru."]
ALASAN_TOLAK = ["Pemohon bukan penduduk kelurahan ini.", "Data tidak sesuai dengan DTKS.",
                "Permohonan ganda; surat yang sama sudah terbit bulan ini."]
NAMA_DEPAN_L = ["Agus", "Bambang", "Dedi", "Eko", "Fajar", "Hadi", "Imam", "Joko", "Khoirul", "Luthfi", "Muhammad",
                "Nur", "Rudi", "Slamet", "Taufik", "Wahyu", "Yusuf", "Zainal", "Arif", "Bayu"]
NAMA_DEPAN_P = ["Ani", "Dewi", "Endah", "Fitri", "Indah", "Kurniasih", "Lestari", "Mega", "Nining", "Puji", "Ratna",
                "Siti", "Tri", "Umi", "Wulan", "Yuni", "Aisyah", "Laila", "Nurul", "Rina"]
NAMA_BELAKANG = ["Santoso", "Wibowo", "Hidayat", "Rahayu", "Susanti", "Pratama", "Setiawan", "Kurniawan",
                 "Lestari", "Maulana", "Nugroho", "Saputra", "Handayani", "Rofiq", "Fauzi", "Anwar"]
PEKERJAAN = ["Wiraswasta", "Buruh Harian Lepas", "Pedagang", "Karyawan Swasta", "Mengurus Rumah Tangga",
             "Pelajar/Mahasiswa", "Pengrajin Batik", "Nelayan", "Guru"]

# A tiny, valid one-page PDF standing in for every uploaded document.
PDF_CONTOH = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 52>>stream\nBT /F1 14 Tf 20 50 Td (Dokumen contoh - data demo) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

def _jam_kerja(kalender: Kalender, waktu: datetime) -> datetime:
    """`waktu` if the office is open then, else its next opening (national holidays included)."""
    return timezone.localtime(kalender.tambah_jam_kerja(waktu, 0))


def _maju(kalender: Kalender, waktu: datetime, menit: float) -> datetime:
    """The moment `menit` working minutes after `waktu`."""
    return timezone.localtime(kalender.tambah_jam_kerja(waktu, menit * 60))


@dataclass(order=True)
class _Langkah:
    waktu: datetime
    urut: int
    indeks: int = field(compare=False)
    aksi: str = field(compare=False)
    pelaku: str = field(compare=False)
    catatan: str = field(compare=False, default="")
    ganti_berkas: bool = field(compare=False, default=False)


def _nik(acak: random.Random, lahir: date, perempuan: bool, dipakai: set) -> str:
    while True:
        hari = lahir.day + (40 if perempuan else 0)
        nik = f"337501{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{acak.randint(1, 9999):04d}"
        if nik not in dipakai:
            dipakai.add(nik)
            return nik


def _orang(acak: random.Random, kelurahan: str, dipakai: set) -> dict:
    perempuan = acak.random() < 0.5
    lahir = date(acak.randint(1955, 2005), acak.randint(1, 12), acak.randint(1, 28))
    nama = f"{acak.choice(NAMA_DEPAN_P if perempuan else NAMA_DEPAN_L)} {acak.choice(NAMA_BELAKANG)}"
    jalan = acak.choice(KELURAHAN_DEMO[kelurahan][3])
    return {
        "nik": _nik(acak, lahir, perempuan, dipakai),
        "no_hp": f"+62813{acak.randint(10_000_000, 99_999_999)}",
        "nama": nama,
        "tempat_lahir": acak.choice(["Pekalongan", "Pekalongan", "Batang", "Pemalang", "Semarang"]),
        "tanggal_lahir": lahir,
        "jenis_kelamin": "P" if perempuan else "L",
        "agama": acak.choice(["Islam"] * 9 + ["Kristen"]),
        "pekerjaan": acak.choice(PEKERJAAN),
        "status_perkawinan": acak.choice(["Kawin", "Kawin", "Belum Kawin", "Cerai Mati"]),
        "alamat": f"{jalan} No. {acak.randint(1, 120)}, RT {acak.randint(1, 8):03d}/RW {acak.randint(1, 12):03d}",
    }


def _isian(acak: random.Random, formulir: list, waktu: datetime) -> dict:
    data = {}
    for isian in formulir:
        if not isian["wajib"] and acak.random() < 0.5:
            continue
        tipe = isian["tipe"]
        if tipe == "pilihan":
            data[isian["nama"]] = acak.choice(isian["pilihan"])
        elif tipe == "angka":
            besar = "penghasilan" in isian["nama"] or "modal" in isian["nama"]
            data[isian["nama"]] = acak.randrange(1_000_000, 5_000_000, 50_000) if besar else acak.randint(1, 6)
        elif tipe == "tanggal":
            data[isian["nama"]] = (timezone.localdate(waktu) - timedelta(days=acak.randint(3, 2000))).isoformat()
        elif tipe == "jam":
            data[isian["nama"]] = f"{acak.randint(0, 23):02d}:{acak.choice([0, 15, 30, 45]):02d}"
        elif tipe == "daftar":
            jumlah = acak.randint(max(1, int(isian.get("min", 0) or 0)), max(2, int(isian.get("min", 0) or 0)))
            data[isian["nama"]] = [_isian(acak, [{**k, "wajib": True} for k in isian.get("kolom", [])], waktu)
                                   for _ in range(jumlah)]
        else:
            data[isian["nama"]] = f"{isian['label']}: data demo {acak.randint(1, 99)}"
    return data


def _berkas(layanan: Layanan) -> dict:
    return {s.kode: SimpleUploadedFile(f"{s.kode}.pdf", PDF_CONTOH, content_type="application/pdf")
            for s in layanan.persyaratan.all() if s.unggah}


def _rencana(acak: random.Random, layanan: Layanan, kelurahan: str, mulai: datetime, online: bool):
    """The actions after submission, with their times, for one request's chosen outcome.

    Each stage uses a share of its allowance (sla_jam_kelurahan / sla_jam_kecamatan): a quarter to
    nine tenths normally; about one request in twelve overruns it one and a half to four times.
    """
    kalender = kalender_wilayah(kelurahan)
    _bobot, petugas, lurah, _jalan = KELURAHAN_DEMO[kelurahan]
    telat = acak.random() < 0.08
    jatah_kel = float(layanan.sla_jam_kelurahan) * 60
    jatah_kec = float(layanan.sla_jam_kecamatan) * 60
    langkah, waktu = [], mulai

    def tambah(aksi, pelaku, menit, catatan="", ganti=False):
        nonlocal waktu
        waktu = _maju(kalender, waktu, max(menit, 3))
        langkah.append((waktu, aksi, pelaku, catatan, ganti))

    def tandatangani(aksi, pelaku, menit):
        """A letter is signed only after its signer opened the draft (permohonan_aksi refuses it
        otherwise): the look first, the signature a few minutes later, in the same share of the stage."""
        tambah("pratinjau_draf", pelaku, menit - 4)
        tambah(aksi, pelaku, 4)

    def bagian(jatah):
        """Minutes this stage takes in all, and the first officer's share of them."""
        total = jatah * (acak.uniform(1.5, 4) if telat else acak.uniform(0.25, 0.9))
        pertama = acak.uniform(0.3, 0.6)
        return total * pertama, total * (1 - pertama)

    nasib = acak.random()
    if online and nasib < 0.05:
        tambah("batalkan", "pemohon", acak.uniform(5, 120))
        return langkah
    if nasib < 0.10:
        tambah("tolak", petugas, jatah_kel * acak.uniform(0.1, 0.5), acak.choice(ALASAN_TOLAK))
        return langkah
    if nasib < 0.22:
        tambah("minta_perbaikan", petugas, jatah_kel * acak.uniform(0.1, 0.4), acak.choice(ALASAN_PERBAIKAN))
        if nasib < 0.14:
            return langkah  # the resident has not corrected it yet
        # Waiting for the resident is paused time, not the office's: half a day to three days.
        tambah("ajukan_ulang", "pemohon", acak.uniform(200, 3 * 450), ganti=True)
    verifikasi, setujui = bagian(jatah_kel)
    tambah("verifikasi", petugas, verifikasi)
    if nasib > 0.97:
        tambah("tolak", lurah, setujui, "Persyaratan belum memenuhi ketentuan.")
        return langkah
    if layanan.tingkat == Layanan.Tingkat.KECAMATAN:
        tambah("setujui", lurah, setujui)  # forwards to the kecamatan: no letter signed yet
        verifikasi, setujui = bagian(jatah_kec)
        tambah("verifikasi_kecamatan", PETUGAS_KECAMATAN, verifikasi)
        tandatangani("setujui_camat", CAMAT, setujui)
    else:
        tandatangani("setujui", lurah, setujui)
    return langkah


def riwayat_demo_buat(*, jumlah: int = 300, seed: int = 2026, sejak: date | None = None, sampai=None) -> dict:
    """Submit `jumlah` requests spread over [sejak, sampai) and replay their actions in time order.

    One transaction: either the whole history is written or none of it.
    """
    User = get_user_model()
    acak = random.Random(seed)
    sampai = sampai or timezone.now()
    if sejak is None:
        hari_ini = timezone.localdate(sampai)
        sejak = date(hari_ini.year if hari_ini.month > 6 else hari_ini.year - 1, 6, 1)
    awal = timezone.make_aware(datetime.combine(sejak, time(7, 30)))
    rentang = (sampai - awal).total_seconds()
    if rentang <= 0:
        raise ValueError("tanggal mulai riwayat harus sebelum sekarang")
    pengguna = {u.username: u for u in User.objects.filter(
        username__in=[PETUGAS_KECAMATAN, CAMAT, *[v[1] for v in KELURAHAN_DEMO.values()],
                      *[v[2] for v in KELURAHAN_DEMO.values()]])}
    layanan = {x.kode: x for x in Layanan.objects.filter(kode__in=BOBOT_LAYANAN, aktif=True)
               .prefetch_related("persyaratan")}
    kode_layanan = [k for k in BOBOT_LAYANAN if k in layanan]
    dipakai = set(Warga.objects.values_list("nik", flat=True))
    hasil = {"permohonan": 0, "aksi": 0, "status": {}}

    with transaction.atomic():
        outbox_awal = Outbox.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        antrian, permohonan = [], {}
        for indeks in range(jumlah):
            kelurahan = acak.choices(list(KELURAHAN_DEMO), [v[0] for v in KELURAHAN_DEMO.values()])[0]
            kalender = kalender_wilayah(kelurahan)
            x = layanan[acak.choices(kode_layanan, [BOBOT_LAYANAN[k] for k in kode_layanan])[0]]
            baru = acak.random() < 0.06
            if baru:
                # Some arrive in the last working days and are still being worked on, so the desks
                # have open requests on the first login.
                mulai = _jam_kerja(kalender, sampai - timedelta(seconds=acak.uniform(0, min(rentang, 4 * 86400))))
            else:
                mulai = _jam_kerja(kalender, awal + timedelta(seconds=acak.uniform(0, rentang)))
            while mulai >= sampai:  # pushed past "now" to the next opening hour: draw again
                mulai = _jam_kerja(kalender, awal + timedelta(seconds=acak.uniform(0, rentang)))
            online = acak.random() < 0.65
            antrian.append(_Langkah(mulai, indeks * 100, indeks, "ajukan", "online" if online else "loket"))
            permohonan[indeks] = {"layanan": x, "kelurahan": kelurahan, "orang": _orang(acak, kelurahan, dipakai)}
            rencana = _rencana(acak, x, kelurahan, mulai, online)
            if baru:
                rencana = rencana[:acak.randrange(len(rencana))] if rencana else []
            for urut, (waktu, aksi, pelaku, catatan, ganti) in enumerate(rencana, start=1):
                antrian.append(_Langkah(waktu, indeks * 100 + urut, indeks, aksi, pelaku, catatan, ganti))
        heapq.heapify(antrian)
        batal = set()  # requests whose later steps fall after `sampai` are left open
        while antrian:
            langkah = heapq.heappop(antrian)
            if langkah.indeks in batal:
                continue
            if langkah.waktu >= sampai:
                batal.add(langkah.indeks)
                continue
            info = permohonan[langkah.indeks]
            if langkah.aksi == "ajukan":
                info["obj"] = _ajukan(User, info, langkah, pengguna, acak)
                hasil["permohonan"] += 1
                continue
            pelaku = info["obj"].pemohon.user if langkah.pelaku == "pemohon" else pengguna[langkah.pelaku]
            if langkah.aksi == "pratinjau_draf":
                permohonan_draf_pdf(permohonan_id=info["obj"].pk, pengguna=pelaku, waktu=langkah.waktu)
                continue
            info["obj"] = permohonan_aksi(
                permohonan_id=info["obj"].pk, pengguna=pelaku, aksi=langkah.aksi, catatan=langkah.catatan,
                waktu=langkah.waktu, berkas=dict(list(_berkas(info["layanan"]).items())[:1]) if langkah.ganti_berkas
                else None,
            )
            hasil["aksi"] += 1
        for info in permohonan.values():
            if "obj" in info:
                status = info["obj"].status
                hasil["status"][status] = hasil["status"].get(status, 0) + 1
        Outbox.objects.filter(pk__gt=outbox_awal).update(
            status=Outbox.StatusPesan.DILEWATI, pesan_galat="riwayat demo: tidak dikirim"
        )
    return hasil


def _ajukan(User, info, langkah, pengguna, acak):
    orang = dict(info["orang"])
    x, kelurahan = info["layanan"], info["kelurahan"]
    keperluan = acak.choice(KEPERLUAN.get(x.kode, ["Keperluan administrasi"]))
    data = _isian(acak, x.formulir, langkah.waktu)
    if langkah.pelaku == "online":
        warga = Warga.objects.create(
            user=User.objects.create_user(username=f"warga-{secrets.token_hex(6)}"), **orang)
        return permohonan_ajukan(pengaju=warga.user, layanan=x, kelurahan=kelurahan, keperluan=keperluan, data=data,
                                 berkas=_berkas(x), waktu=langkah.waktu, setuju_privasi=True)
    identitas = {k: v for k, v in orang.items() if k not in ("tanggal_lahir", "jenis_kelamin")}
    return permohonan_ajukan(pengaju=pengguna[KELURAHAN_DEMO[kelurahan][1]], layanan=x, kelurahan=kelurahan,
                             keperluan=keperluan, data=data, berkas=_berkas(x), identitas=identitas,
                             waktu=langkah.waktu, setuju_privasi=True)
