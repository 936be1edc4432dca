"""The service catalogue a new deployment starts with, and its idempotent loader.

Drawn from published standar pelayanan of kelurahan and kecamatan in Jawa
Tengah (Kota Pekalongan, Semarang, Surakarta and others publish the same
services with small differences). Everything here is editable in the admin
afterwards; loading again brings the listed services back to these values.

Archive classification (Permendagri 83/2022, kode klasifikasi arsip): the
kependudukan codes 400.12.2.1 identitas penduduk, 400.12.2.2 pindah datang,
400.12.3.1 kelahiran/kematian and 400.12.3.2 perkawinan/perceraian are as
REFERENCES.md gives them (secondary). Codes outside 400.12 are marked
"periksa" below: check them against the regulation's annex before a real
office uses them, and change them in the admin.
"""

from decimal import Decimal

from django.db import transaction

from audit.master_data import audit_master_data, perubahan_bidang
from layanan.models import Layanan, Persyaratan

KLAS_IDENTITAS = "400.12.2.1"
KLAS_PINDAH_DATANG = "400.12.2.2"
KLAS_LAHIR_MATI = "400.12.3.1"
KLAS_PERKAWINAN = "400.12.3.2"
# Periksa: ekonomi, koperasi dan UMKM berada di kode pokok 500 Permendagri 83/2022.
KLAS_USAHA_MIKRO = "500.2"
# Periksa: kesejahteraan sosial (fakir miskin, DTKS) di bawah kode pokok 400.
KLAS_SOSIAL = "400.9"

DASAR_UMUM = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik; "
    "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan; "
    "Peraturan Menteri Dalam Negeri Nomor 108 Tahun 2019 tentang Peraturan Pelaksanaan "
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan "
    "Pencatatan Sipil"
)


def _syarat(kode, nama, unggah=True):
    return {"kode": kode, "nama": nama, "unggah": unggah}


def _isian(nama, label, tipe="teks", wajib=True, pilihan=None):
    isian = {"nama": nama, "label": label, "tipe": tipe, "wajib": wajib}
    if pilihan:
        isian["pilihan"] = list(pilihan)
    return isian


PENGANTAR_RT = _syarat("pengantar_rt_rw", "Surat pengantar RT/RW")
KTP = _syarat("ktp_el", "KTP-el pemohon")
KK = _syarat("kartu_keluarga", "Kartu Keluarga")

KATALOG = [
    {
        "kode": "domisili",
        "nama": "Surat Keterangan Domisili",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN DOMISILI",
        "kode_klasifikasi": KLAS_PINDAH_DATANG,
        "sla_jam_kelurahan": "1",
        "deskripsi": "Keterangan bahwa pemohon bertempat tinggal di wilayah kelurahan, untuk keperluan "
        "administrasi (perbankan, pekerjaan, sekolah) bila alamat KTP-el berbeda dengan tempat tinggal.",
        "persyaratan": [PENGANTAR_RT, KTP, KK, _syarat("surat_keterangan_tinggal", "Surat keterangan tinggal / "
                                                       "kontrak rumah (bila bukan pemilik)", unggah=False)],
        "formulir": [
            _isian("alamat_domisili", "Alamat tempat tinggal sekarang"),
            _isian("rt", "RT", "angka"),
            _isian("rw", "RW", "angka"),
            _isian("lama_tinggal_tahun", "Lama tinggal (tahun)", "angka", wajib=False),
        ],
        "dasar_hukum": DASAR_UMUM,
    },
    {
        "kode": "sktm",
        "nama": "Surat Keterangan Tidak Mampu (SKTM)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN TIDAK MAMPU",
        "kode_klasifikasi": KLAS_SOSIAL,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan keluarga kurang mampu untuk keringanan biaya pendidikan, kesehatan atau "
        "bantuan sosial. Petugas mencocokkan dengan Data Terpadu Kesejahteraan Sosial (DTKS).",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("pernyataan_tidak_mampu", "Surat pernyataan tidak mampu bermeterai"),
                        _syarat("kartu_bansos", "Kartu KIS/KIP/PKH bila ada", unggah=False)],
        "formulir": [
            _isian("untuk", "Digunakan untuk", "pilihan",
                   pilihan=["pendidikan", "kesehatan", "bantuan sosial", "lainnya"]),
            _isian("nama_yang_bersangkutan", "Nama anggota keluarga yang memerlukan"),
            _isian("penghasilan_bulanan", "Penghasilan keluarga per bulan (Rp)", "angka"),
            _isian("jumlah_tanggungan", "Jumlah tanggungan", "angka"),
            _isian("instansi_tujuan", "Sekolah / rumah sakit / instansi tujuan", wajib=False),
        ],
        "dasar_hukum": "Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin; "
        "Peraturan Menteri Sosial Nomor 3 Tahun 2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial",
    },
    {
        "kode": "usaha",
        "nama": "Surat Keterangan Usaha (SKU)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN USAHA",
        "kode_klasifikasi": KLAS_USAHA_MIKRO,
        "sla_jam_kelurahan": "3",
        "deskripsi": "Keterangan bahwa pemohon menjalankan usaha di wilayah kelurahan, untuk pengajuan "
        "kredit usaha rakyat (KUR), bantuan modal atau kemitraan.",
        "persyaratan": [PENGANTAR_RT, KTP, KK, _syarat("foto_usaha", "Foto tempat usaha")],
        "formulir": [
            _isian("nama_usaha", "Nama usaha"),
            _isian("jenis_usaha", "Jenis usaha", "pilihan",
                   pilihan=["batik dan konveksi", "kuliner", "perdagangan", "jasa", "kerajinan", "lainnya"]),
            _isian("alamat_usaha", "Alamat usaha"),
            _isian("mulai_usaha", "Mulai usaha sejak", "tanggal"),
            _isian("jumlah_pekerja", "Jumlah pekerja", "angka", wajib=False),
        ],
        "dasar_hukum": "Peraturan Pemerintah Nomor 7 Tahun 2021 tentang Kemudahan, Pelindungan, dan "
        "Pemberdayaan Koperasi dan Usaha Mikro, Kecil, dan Menengah",
    },
    {
        "kode": "pengantar-skck",
        "nama": "Surat Pengantar SKCK",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT PENGANTAR",
        "kode_klasifikasi": KLAS_IDENTITAS,
        "sla_jam_kelurahan": "1",
        "deskripsi": "Pengantar kelurahan untuk permohonan Surat Keterangan Catatan Kepolisian (SKCK) di Polsek/Polres.",
        "persyaratan": [PENGANTAR_RT, KTP, KK, _syarat("akta_lahir", "Akta kelahiran atau ijazah terakhir")],
        "formulir": [
            _isian("keperluan_skck", "Keperluan SKCK", "pilihan",
                   pilihan=["melamar pekerjaan", "pendaftaran CPNS/TNI/Polri", "pencalonan", "lainnya"]),
        ],
        "dasar_hukum": "Peraturan Kepolisian Negara Republik Indonesia Nomor 6 Tahun 2023 tentang Penerbitan "
        "Surat Keterangan Catatan Kepolisian",
    },
    {
        "kode": "pengantar-nikah",
        "nama": "Surat Pengantar Nikah (Formulir N1–N6)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT PENGANTAR PERKAWINAN",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "7.5",
        "deskripsi": "Formulir pengantar perkawinan untuk KUA atau Dinas Kependudukan dan Pencatatan Sipil: "
        "N1 pengantar, N2 permohonan kehendak nikah, N4 persetujuan calon pengantin, N5 izin orang tua, "
        "N6 keterangan kematian suami/istri. Nama formulir mengikuti PMA yang berlaku dan dapat diubah.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("akta_lahir", "Akta kelahiran calon pengantin"),
                        _syarat("ktp_calon", "KTP-el calon pasangan"),
                        _syarat("pas_foto", "Pas foto 2x3 dan 4x6 berlatar biru", unggah=False),
                        _syarat("akta_cerai_kematian", "Akta cerai / akta kematian pasangan (bila pernah menikah)",
                                unggah=False)],
        "formulir": [
            _isian("nama_calon", "Nama calon pasangan"),
            _isian("nik_calon", "NIK calon pasangan"),
            _isian("tanggal_nikah", "Rencana tanggal akad/pemberkatan", "tanggal"),
            _isian("tempat_nikah", "Tempat pelaksanaan"),
            _isian("status_pemohon", "Status pemohon", "pilihan",
                   pilihan=["jejaka", "perawan", "duda", "janda"]),
            _isian("formulir_diminta", "Formulir yang diminta", "pilihan",
                   pilihan=["N1, N2, N4", "N1, N2, N4, N5", "N1, N2, N4, N6", "N1–N6 lengkap"]),
        ],
        "dasar_hukum": "Undang-Undang Nomor 1 Tahun 1974 tentang Perkawinan; Peraturan Menteri Agama Nomor 30 "
        "Tahun 2024 tentang Pencatatan Pernikahan",
    },
    {
        "kode": "kelahiran",
        "nama": "Surat Keterangan Kelahiran",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN KELAHIRAN",
        "kode_klasifikasi": KLAS_LAHIR_MATI,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan kelahiran untuk pengurusan akta kelahiran di Dinas Kependudukan dan Pencatatan Sipil.",
        "persyaratan": [PENGANTAR_RT, KK,
                        _syarat("surat_lahir", "Surat keterangan lahir dari bidan/rumah sakit"),
                        _syarat("ktp_orang_tua", "KTP-el ayah dan ibu"),
                        _syarat("buku_nikah", "Buku nikah / akta perkawinan orang tua")],
        "formulir": [
            _isian("nama_bayi", "Nama bayi"),
            _isian("jenis_kelamin_bayi", "Jenis kelamin", "pilihan", pilihan=["laki-laki", "perempuan"]),
            _isian("tanggal_lahir_bayi", "Tanggal lahir", "tanggal"),
            _isian("tempat_lahir_bayi", "Tempat lahir"),
            _isian("anak_ke", "Anak ke", "angka"),
            _isian("nama_ayah", "Nama ayah"),
            _isian("nama_ibu", "Nama ibu"),
        ],
        "dasar_hukum": "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun "
        "2006 tentang Administrasi Kependudukan; " + DASAR_UMUM,
    },
    {
        "kode": "kematian",
        "nama": "Surat Keterangan Kematian",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN KEMATIAN",
        "kode_klasifikasi": KLAS_LAHIR_MATI,
        "sla_jam_kelurahan": "7.5",
        "deskripsi": "Keterangan kematian untuk akta kematian, klaim asuransi/taspen dan pengurusan waris.",
        "persyaratan": [PENGANTAR_RT, KK,
                        _syarat("ktp_almarhum", "KTP-el almarhum/almarhumah"),
                        _syarat("keterangan_dokter", "Surat keterangan kematian dari dokter/rumah sakit (bila ada)",
                                unggah=False),
                        _syarat("ktp_saksi", "KTP-el dua orang saksi")],
        "formulir": [
            _isian("nama_almarhum", "Nama almarhum/almarhumah"),
            _isian("nik_almarhum", "NIK almarhum/almarhumah"),
            _isian("tanggal_meninggal", "Tanggal meninggal", "tanggal"),
            _isian("tempat_meninggal", "Tempat meninggal"),
            _isian("sebab", "Sebab kematian", "pilihan",
                   pilihan=["sakit biasa/tua", "sakit", "kecelakaan", "lainnya"]),
            _isian("hubungan_pelapor", "Hubungan pelapor dengan almarhum"),
        ],
        "dasar_hukum": "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun "
        "2006 tentang Administrasi Kependudukan",
    },
    {
        "kode": "ahli-waris",
        "nama": "Surat Keterangan Ahli Waris",
        "tingkat": Layanan.Tingkat.KECAMATAN,
        "perihal": "SURAT KETERANGAN AHLI WARIS",
        "kode_klasifikasi": KLAS_LAHIR_MATI,
        "sla_jam_kelurahan": "15",
        "sla_jam_kecamatan": "22.5",
        "deskripsi": "Pernyataan ahli waris yang disaksikan dan dibenarkan lurah, lalu dikuatkan camat; untuk "
        "balik nama sertifikat, pencairan tabungan atau taspen.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("akta_kematian", "Akta kematian pewaris"),
                        _syarat("pernyataan_ahli_waris", "Surat pernyataan ahli waris ditandatangani semua ahli "
                                "waris dan dua saksi, bermeterai"),
                        _syarat("ktp_ahli_waris", "KTP-el seluruh ahli waris"),
                        _syarat("buku_nikah_pewaris", "Buku nikah pewaris", unggah=False)],
        "formulir": [
            _isian("nama_pewaris", "Nama pewaris"),
            _isian("tanggal_meninggal", "Tanggal pewaris meninggal", "tanggal"),
            _isian("jumlah_ahli_waris", "Jumlah ahli waris", "angka"),
            _isian("daftar_ahli_waris", "Nama dan hubungan tiap ahli waris"),
            _isian("keperluan_waris", "Untuk", "pilihan",
                   pilihan=["balik nama sertifikat", "pencairan dana bank", "taspen/asabri", "lainnya"]),
        ],
        "dasar_hukum": "Peraturan Menteri Negara Agraria/Kepala BPN Nomor 3 Tahun 1997 Pasal 111 ayat (1) huruf c "
        "angka 4; Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan",
    },
    {
        "kode": "belum-menikah",
        "nama": "Surat Keterangan Belum Pernah Menikah",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN BELUM PERNAH MENIKAH",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan status belum pernah menikah untuk melamar kerja, pendaftaran TNI/Polri atau "
        "persyaratan beasiswa.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("pernyataan_belum_menikah", "Surat pernyataan belum pernah menikah bermeterai")],
        "formulir": [_isian("digunakan_untuk", "Digunakan untuk")],
        "dasar_hukum": DASAR_UMUM,
    },
    {
        "kode": "pindah",
        "nama": "Surat Pengantar Pindah",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT PENGANTAR PINDAH",
        "kode_klasifikasi": KLAS_PINDAH_DATANG,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Pengantar kelurahan untuk Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI) di "
        "Dinas Kependudukan dan Pencatatan Sipil.",
        "persyaratan": [PENGANTAR_RT, KTP, KK],
        "formulir": [
            _isian("alamat_tujuan", "Alamat tujuan"),
            _isian("kode_wilayah_tujuan", "Kode kelurahan/desa tujuan", wajib=False),
            _isian("alasan_pindah", "Alasan pindah", "pilihan",
                   pilihan=["pekerjaan", "pendidikan", "keamanan", "kesehatan", "perumahan", "keluarga", "lainnya"]),
            _isian("jumlah_ikut", "Jumlah anggota keluarga yang ikut pindah", "angka"),
        ],
        "dasar_hukum": "Peraturan Presiden Nomor 96 Tahun 2018; Permendagri Nomor 108 Tahun 2019",
    },
    {
        "kode": "penghasilan",
        "nama": "Surat Keterangan Penghasilan Orang Tua",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN PENGHASILAN",
        "kode_klasifikasi": KLAS_SOSIAL,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan penghasilan orang tua untuk pendaftaran sekolah, UKT atau beasiswa.",
        "persyaratan": [PENGANTAR_RT, KTP, KK],
        "formulir": [
            _isian("nama_anak", "Nama anak"),
            _isian("sekolah_tujuan", "Sekolah/perguruan tinggi"),
            _isian("penghasilan_bulanan", "Penghasilan orang tua per bulan (Rp)", "angka"),
        ],
        "dasar_hukum": DASAR_UMUM,
    },
    {
        "kode": "janda-duda",
        "nama": "Surat Keterangan Janda/Duda",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN JANDA/DUDA",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan status janda/duda cerai mati atau cerai hidup, untuk pensiun janda/duda, "
        "perkawinan kembali atau administrasi lain.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("akta_cerai_kematian", "Akta cerai atau akta kematian pasangan")],
        "formulir": [
            _isian("status", "Status", "pilihan", pilihan=["janda cerai mati", "janda cerai hidup",
                                                        "duda cerai mati", "duda cerai hidup"]),
            _isian("nama_pasangan", "Nama mantan pasangan"),
            _isian("tanggal_peristiwa", "Tanggal cerai/meninggal", "tanggal"),
        ],
        "dasar_hukum": "Undang-Undang Nomor 1 Tahun 1974 tentang Perkawinan; " + DASAR_UMUM,
    },
    {
        "kode": "iumk",
        "nama": "Izin Usaha Mikro dan Kecil (IUMK)",
        "tingkat": Layanan.Tingkat.KECAMATAN,
        "perihal": "IZIN USAHA MIKRO DAN KECIL",
        "kode_klasifikasi": KLAS_USAHA_MIKRO,
        "sla_jam_kelurahan": "7.5",
        "sla_jam_kecamatan": "15",
        "deskripsi": "Izin usaha mikro dan kecil yang kewenangannya dilimpahkan bupati/wali kota kepada camat; "
        "pengantar kelurahan, lalu diterbitkan camat. Usaha yang sudah memiliki NIB lewat OSS tidak memerlukannya.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("pas_foto", "Pas foto berwarna 4x6"),
                        _syarat("foto_usaha", "Foto lokasi usaha"),
                        _syarat("pernyataan_iumk", "Surat pernyataan kesanggupan mematuhi ketentuan (formulir IUMK)")],
        "formulir": [
            _isian("nama_usaha", "Nama usaha"),
            _isian("bentuk_usaha", "Bentuk usaha", "pilihan", pilihan=["perorangan", "kelompok"]),
            _isian("kegiatan_usaha", "Kegiatan usaha"),
            _isian("alamat_usaha", "Alamat usaha"),
            _isian("modal_usaha", "Modal usaha (Rp)", "angka"),
            _isian("mulai_usaha", "Mulai usaha sejak", "tanggal"),
        ],
        "dasar_hukum": "Peraturan Presiden Nomor 98 Tahun 2014 tentang Perizinan untuk Usaha Mikro dan Kecil; "
        "Permendagri Nomor 83 Tahun 2014 tentang Pedoman Pemberian Izin Usaha Mikro dan Kecil",
    },
    {
        "kode": "dispensasi-nikah",
        "nama": "Dispensasi Nikah Kurang dari 10 Hari Kerja",
        "tingkat": Layanan.Tingkat.KECAMATAN,
        "perihal": "SURAT DISPENSASI NIKAH",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "3",
        "sla_jam_kecamatan": "4.5",
        "deskripsi": "Dispensasi camat bila akad nikah dilangsungkan kurang dari 10 hari kerja sejak "
        "pemberitahuan kehendak nikah kepada KUA.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("n1_n4", "Formulir N1–N4 yang sudah ditandatangani lurah"),
                        _syarat("alasan_mendesak", "Surat pernyataan alasan mendesak bermeterai")],
        "formulir": [
            _isian("nama_calon", "Nama calon pasangan"),
            _isian("tanggal_nikah", "Tanggal akad", "tanggal"),
            _isian("alasan", "Alasan mendesak"),
        ],
        "dasar_hukum": "Peraturan Menteri Agama Nomor 30 Tahun 2024 tentang Pencatatan Pernikahan",
    },
]


def _nilai_layanan(entri: dict, urutan: int) -> dict:
    kelurahan = Decimal(entri["sla_jam_kelurahan"])
    kecamatan = Decimal(entri.get("sla_jam_kecamatan", "0"))
    return {
        "nama": entri["nama"],
        "tingkat": entri["tingkat"],
        "perihal": entri["perihal"],
        "kode_klasifikasi": entri["kode_klasifikasi"],
        "sla_jam": kelurahan + kecamatan,
        "sla_jam_kelurahan": kelurahan,
        "sla_jam_kecamatan": kecamatan,
        "biaya": 0,
        "deskripsi": entri["deskripsi"],
        "formulir": entri["formulir"],
        "dasar_hukum": entri["dasar_hukum"],
        "urutan": urutan,
    }


def _sinkron_persyaratan(layanan: Layanan, daftar: list[dict]) -> dict:
    """Make the service's requirements exactly `daftar`; return what changed, for the ledger."""
    ada = {p.kode: p for p in layanan.persyaratan.all()}
    perubahan = {}
    for urutan, syarat in enumerate(daftar, start=1):
        nilai = {"nama": syarat["nama"], "unggah": syarat["unggah"], "urutan": urutan}
        lama = ada.pop(syarat["kode"], None)
        if lama is None:
            Persyaratan.objects.create(layanan=layanan, kode=syarat["kode"], **nilai)
            perubahan[f"persyaratan:{syarat['kode']}"] = [None, nilai]
            continue
        beda = perubahan_bidang({k: getattr(lama, k) for k in nilai}, nilai)
        if beda:
            for bidang in beda:
                setattr(lama, bidang, nilai[bidang])
            lama.save(update_fields=list(beda))
            perubahan[f"persyaratan:{syarat['kode']}"] = beda
    for kode, sisa in ada.items():
        sisa.delete()
        perubahan[f"persyaratan:{kode}"] = [sisa.nama, None]
    return perubahan


def katalog_muat(*, katalog: list[dict] | None = None, aktor=None) -> dict:
    """Create or update every listed service by `kode` and sync its requirements.

    Idempotent: a second run changes nothing and writes no audit event. Every
    created or changed service gets one master-data event with the changed
    fields. Services not listed (added by an admin) are left alone.
    """
    hasil = {"dibuat": 0, "diubah": 0, "tetap": 0}
    with transaction.atomic():
        for urutan, entri in enumerate(katalog if katalog is not None else KATALOG, start=1):
            nilai = _nilai_layanan(entri, urutan * 10)
            layanan = Layanan.objects.filter(kode=entri["kode"]).first()
            if layanan is None:
                layanan = Layanan.objects.create(kode=entri["kode"], **nilai)
                perubahan = {"dibuat": True}
                aksi = "tambah"
            else:
                perubahan = perubahan_bidang({k: getattr(layanan, k) for k in nilai}, nilai)
                for bidang in perubahan:
                    setattr(layanan, bidang, nilai[bidang])
                if perubahan:
                    layanan.save(update_fields=list(perubahan))
                aksi = "ubah"
            perubahan.update(_sinkron_persyaratan(layanan, entri["persyaratan"]))
            if not perubahan:
                hasil["tetap"] += 1
                continue
            hasil["dibuat" if aksi == "tambah" else "diubah"] += 1
            audit_master_data(aksi=aksi, objek=layanan, perubahan=None if aksi == "tambah" else perubahan,
                              aktor=aktor, data={"sumber": "katalog bawaan"})
    return hasil
