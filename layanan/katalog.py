"""The service catalogue a new deployment starts with, and its idempotent loader.

Drawn from published standar pelayanan of kelurahan and kecamatan in Jawa
Tengah (Kota Pekalongan, Semarang, Surakarta and others publish the same
services with small differences) and from the letter formats kelurahan use.
Everything here is editable in the admin afterwards; loading again brings the
listed services back to these values. Changes to this list reach existing
installs through a data migration (layanan/migrations/0009_katalog_surat_per_layanan.py).

Each service has its own fields (`formulir`) and its own letter body
(`layanan/templates/surat/isi/<kode>.html`). Field types: teks, angka
(`format: rupiah`, `digit: 3` for zero-padded RT/RW), tanggal, jam, pilihan, and
daftar (rows of `kolom`, e.g. every heir); `label_en` is the English label.

Archive classification (Permendagri 83/2022, kode klasifikasi arsip), settled
with sources in docs/surat.md ("Archive codes").
"""

from decimal import Decimal

from django.db import transaction

from audit.master_data import audit_master_data, perubahan_bidang
from layanan.models import Layanan, Persyaratan

KLAS_IDENTITAS = "400.12.2.1"  # pendaftaran penduduk: identitas penduduk
KLAS_PINDAH_DATANG = "400.12.2.2"  # pendaftaran penduduk: pindah datang dalam wilayah NKRI
KLAS_LAHIR_MATI = "400.12.3.1"  # pencatatan sipil: kelahiran dan kematian
KLAS_PERKAWINAN = "400.12.3.2"  # pencatatan sipil: perkawinan dan perceraian
KLAS_KEMISKINAN = "400.9.14"  # sosial: penanggulangan kemiskinan perkotaan dan perdesaan
KLAS_KOPERASI_UKM = "500.3.2"  # koperasi dan UKM: kelembagaan koperasi dan UKM

DASAR_UMUM = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik; "
    "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan; "
    "Peraturan Menteri Dalam Negeri Nomor 108 Tahun 2019 tentang Peraturan Pelaksanaan "
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan "
    "Pencatatan Sipil"
)
DASAR_ADMINDUK = ("Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun "
                  "2006 tentang Administrasi Kependudukan")
DASAR_NIKAH = ("Undang-Undang Nomor 1 Tahun 1974 tentang Perkawinan; Peraturan Menteri Agama Nomor 30 "
               "Tahun 2024 tentang Pencatatan Pernikahan")


def _syarat(kode, nama, nama_en, unggah=True):
    return {"kode": kode, "nama": nama, "nama_en": nama_en, "unggah": unggah}


def _isian(nama, label, label_en, tipe="teks", wajib=True, pilihan=None, **lain):
    isian = {"nama": nama, "label": label, "label_en": label_en, "tipe": tipe, "wajib": wajib}
    if pilihan:
        isian["pilihan"] = list(pilihan)
    isian.update(lain)
    return isian


def _daftar(nama, label, label_en, kolom, minimal=1, maksimal=20, wajib=True):
    """A repeatable group: `data[nama]` is a list of rows, each an object of `kolom` fields."""
    return _isian(nama, label, label_en, "daftar", wajib=wajib, kolom=kolom, min=minimal, maks=maksimal)


PENGANTAR_RT = _syarat("pengantar_rt_rw", "Surat pengantar RT/RW", "Cover letter from the RT/RW heads")
KTP = _syarat("ktp_el", "KTP-el pemohon", "Applicant's electronic ID card (KTP-el)")
KK = _syarat("kartu_keluarga", "Kartu Keluarga", "Family card (Kartu Keluarga)")

JENIS_KELAMIN = ["laki-laki", "perempuan"]
HUBUNGAN_KELUARGA = ["suami", "istri", "anak", "orang tua", "saudara kandung", "cucu", "lainnya"]

KATALOG = [
    {
        "kode": "domisili",
        "nama": "Surat Keterangan Domisili",
        "nama_en": "Certificate of Domicile",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN DOMISILI",
        "kode_klasifikasi": KLAS_IDENTITAS,
        "sla_jam_kelurahan": "1",
        "deskripsi": "Keterangan bahwa pemohon bertempat tinggal di wilayah kelurahan, untuk keperluan "
        "administrasi (perbankan, pekerjaan, sekolah) bila alamat KTP-el berbeda dengan tempat tinggal.",
        "deskripsi_en": "States that the applicant lives in the kelurahan, for banks, employers or schools when "
        "the address on the ID card differs from where they live.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("surat_keterangan_tinggal", "Surat keterangan tinggal / kontrak rumah (bila bukan "
                                "pemilik)", "Tenancy agreement (if not the owner)", unggah=False)],
        "formulir": [
            _isian("alamat_domisili", "Alamat tempat tinggal sekarang", "Current address"),
            _isian("rt", "RT", "RT (neighbourhood unit)", "angka", digit=3),
            _isian("rw", "RW", "RW (community unit)", "angka", digit=3),
            _isian("status_tempat_tinggal", "Status tempat tinggal", "Type of residence", "pilihan",
                   pilihan=["milik sendiri", "milik keluarga", "sewa/kontrak", "kos", "menumpang"]),
            _isian("lama_tinggal_tahun", "Lama tinggal (tahun)", "Years lived there", "angka", wajib=False),
        ],
        "dasar_hukum": DASAR_UMUM,
    },
    {
        "kode": "sktm",
        "nama": "Surat Keterangan Tidak Mampu (SKTM)",
        "nama_en": "Certificate of Low Income (SKTM)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN TIDAK MAMPU",
        "kode_klasifikasi": KLAS_KEMISKINAN,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan keluarga kurang mampu untuk keringanan biaya pendidikan, kesehatan atau "
        "bantuan sosial. Petugas mencocokkan dengan Data Tunggal Sosial dan Ekonomi Nasional (DTSEN).",
        "deskripsi_en": "States that a family has low income, for school or hospital fee relief or social aid. "
        "Officers check it against the national social and economic register (DTSEN).",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("pernyataan_tidak_mampu", "Surat pernyataan tidak mampu bermeterai",
                                "Signed and stamped statement of low income"),
                        _syarat("kartu_bansos", "Kartu KIS/KIP/PKH bila ada",
                                "Social-aid card (KIS/KIP/PKH) if any", unggah=False)],
        "formulir": [
            _isian("untuk", "Digunakan untuk", "Needed for", "pilihan",
                   pilihan=["pendidikan", "kesehatan", "bantuan sosial (DTSEN)", "lainnya"]),
            _isian("nama_yang_bersangkutan", "Nama yang memerlukan", "Name of the person who needs it"),
            _isian("hubungan", "Hubungan dengan pemohon", "Relationship to the applicant", "pilihan",
                   pilihan=["diri sendiri", "anak", "suami/istri", "orang tua", "lainnya"]),
            _isian("instansi_tujuan", "Sekolah / rumah sakit / instansi tujuan", "School, hospital or office",
                   wajib=False),
            _isian("penghasilan_bulanan", "Penghasilan keluarga per bulan", "Family income per month", "angka",
                   format="rupiah"),
            _isian("jumlah_tanggungan", "Jumlah tanggungan keluarga (orang)", "Dependants (persons)", "angka"),
        ],
        "dasar_hukum": "Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin; Instruksi Presiden "
        "Nomor 4 Tahun 2025 tentang Data Tunggal Sosial dan Ekonomi Nasional",
    },
    {
        "kode": "usaha",
        "nama": "Surat Keterangan Usaha (SKU)",
        "nama_en": "Certificate of Business (SKU)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN USAHA",
        "kode_klasifikasi": KLAS_KOPERASI_UKM,
        "sla_jam_kelurahan": "3",
        "deskripsi": "Keterangan bahwa pemohon menjalankan usaha di wilayah kelurahan, untuk pengajuan "
        "kredit usaha rakyat (KUR), bantuan modal atau kemitraan.",
        "deskripsi_en": "States that the applicant runs a business in the kelurahan, for people's business "
        "credit (KUR), capital aid or partnerships.",
        "persyaratan": [PENGANTAR_RT, KTP, KK, _syarat("foto_usaha", "Foto tempat usaha", "Photo of the business")],
        "formulir": [
            _isian("nama_usaha", "Nama usaha", "Business name"),
            _isian("jenis_usaha", "Jenis usaha", "Kind of business", "pilihan",
                   pilihan=["batik dan konveksi", "kuliner", "perdagangan", "jasa", "kerajinan", "lainnya"]),
            _isian("alamat_usaha", "Alamat usaha", "Business address"),
            _isian("mulai_usaha", "Mulai usaha sejak", "In business since", "tanggal"),
            _isian("jumlah_pekerja", "Jumlah pekerja (orang)", "Workers (persons)", "angka", wajib=False),
        ],
        "dasar_hukum": "Peraturan Pemerintah Nomor 7 Tahun 2021 tentang Kemudahan, Pelindungan, dan "
        "Pemberdayaan Koperasi dan Usaha Mikro, Kecil, dan Menengah",
    },
    {
        "kode": "pengantar-skck",
        "nama": "Surat Pengantar SKCK",
        "nama_en": "Cover Letter for a Police Record Certificate (SKCK)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT PENGANTAR SKCK",
        "kode_klasifikasi": KLAS_IDENTITAS,
        "sla_jam_kelurahan": "1",
        "deskripsi": "Pengantar kelurahan untuk permohonan Surat Keterangan Catatan Kepolisian (SKCK) di Polsek/Polres.",
        "deskripsi_en": "The kelurahan's cover letter for a police record certificate (SKCK) at the police station.",
        "persyaratan": [PENGANTAR_RT, KTP, KK, _syarat("akta_lahir", "Akta kelahiran atau ijazah terakhir",
                                                       "Birth certificate or latest diploma")],
        "formulir": [
            _isian("keperluan_skck", "Keperluan SKCK", "Purpose of the SKCK", "pilihan",
                   pilihan=["melamar pekerjaan", "pendaftaran CPNS/TNI/Polri", "pencalonan", "lainnya"]),
            _isian("kantor_polisi", "Ditujukan kepada", "Addressed to", wajib=False),
        ],
        "dasar_hukum": "Peraturan Kepolisian Negara Republik Indonesia Nomor 6 Tahun 2023 tentang Penerbitan "
        "Surat Keterangan Catatan Kepolisian",
    },
    {
        "kode": "pengantar-nikah",
        "nama": "Surat Pengantar Nikah (Formulir N1–N6)",
        "nama_en": "Marriage Cover Letter (forms N1–N6)",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT PENGANTAR PERKAWINAN",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "7.5",
        "deskripsi": "Pengantar kelurahan untuk pendaftaran nikah di KUA: N1 pengantar, N2 permohonan kehendak "
        "nikah, N4 persetujuan calon pengantin, N5 izin orang tua, N6 keterangan kematian suami/istri. Nama "
        "formulir mengikuti PMA yang berlaku dan dapat diubah.",
        "deskripsi_en": "The kelurahan's cover letter for registering a marriage at the KUA: N1 cover letter, N2 "
        "notice of intended marriage, N4 consent of the couple, N5 parents' permission, N6 death of a former "
        "spouse. Form names follow the current Minister of Religious Affairs regulation and can be edited.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("akta_lahir", "Akta kelahiran calon pengantin", "Birth certificate of the applicant"),
                        _syarat("ktp_calon", "KTP-el calon pasangan", "ID card of the future spouse"),
                        _syarat("pas_foto", "Pas foto 2x3 dan 4x6 berlatar biru", "Passport photos 2x3 and 4x6, "
                                "blue background", unggah=False),
                        _syarat("akta_cerai_kematian", "Akta cerai / akta kematian pasangan (bila pernah menikah)",
                                "Divorce or death certificate of a former spouse (if married before)", unggah=False)],
        "formulir": [
            _isian("formulir_diminta", "Formulir yang diminta", "Forms requested", "pilihan",
                   pilihan=["N1, N2, N4", "N1, N2, N4, N5", "N1, N2, N4, N6", "N1, N2, N4, N5, N6"]),
            _isian("status_pemohon", "Status perkawinan pemohon", "Applicant's marital status", "pilihan",
                   pilihan=["jejaka", "perawan", "duda", "janda"]),
            _isian("nama_ayah", "Nama ayah pemohon", "Applicant's father"),
            _isian("nama_ibu", "Nama ibu pemohon", "Applicant's mother"),
            _isian("nama_calon", "Nama calon pasangan", "Future spouse's name"),
            _isian("nik_calon", "NIK calon pasangan", "Future spouse's NIK"),
            _isian("tempat_lahir_calon", "Tempat lahir calon pasangan", "Future spouse's place of birth"),
            _isian("tanggal_lahir_calon", "Tanggal lahir calon pasangan", "Future spouse's date of birth", "tanggal"),
            _isian("alamat_calon", "Alamat calon pasangan", "Future spouse's address"),
            _isian("nama_ayah_calon", "Nama ayah calon pasangan", "Future spouse's father"),
            _isian("nama_ibu_calon", "Nama ibu calon pasangan", "Future spouse's mother"),
            _isian("tanggal_nikah", "Rencana tanggal akad/pemberkatan", "Planned wedding date", "tanggal"),
            _isian("tempat_nikah", "Tempat pelaksanaan", "Wedding venue"),
        ],
        "dasar_hukum": DASAR_NIKAH,
    },
    {
        "kode": "kelahiran",
        "nama": "Surat Keterangan Kelahiran",
        "nama_en": "Certificate of Birth",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN KELAHIRAN",
        "kode_klasifikasi": KLAS_LAHIR_MATI,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan kelahiran untuk pengurusan akta kelahiran di Dinas Kependudukan dan Pencatatan "
        "Sipil (bila diminta) atau keperluan lain.",
        "deskripsi_en": "Certifies a birth, for the birth certificate at the civil registry (when asked for) or "
        "other purposes.",
        "persyaratan": [PENGANTAR_RT, KK,
                        _syarat("surat_lahir", "Surat keterangan lahir dari bidan/rumah sakit",
                                "Birth notice from the midwife or hospital"),
                        _syarat("ktp_orang_tua", "KTP-el ayah dan ibu", "ID cards of father and mother"),
                        _syarat("buku_nikah", "Buku nikah / akta perkawinan orang tua",
                                "Parents' marriage book or certificate")],
        "formulir": [
            _isian("nama_bayi", "Nama anak", "Child's name"),
            _isian("jenis_kelamin_bayi", "Jenis kelamin", "Sex", "pilihan", pilihan=JENIS_KELAMIN),
            _isian("tempat_lahir_bayi", "Tempat lahir", "Place of birth"),
            _isian("tanggal_lahir_bayi", "Tanggal lahir", "Date of birth", "tanggal"),
            _isian("jam_lahir", "Pukul", "Time of birth", "jam"),
            _isian("anak_ke", "Anak ke", "Birth order", "angka"),
            _isian("nama_ayah", "Nama ayah", "Father's name"),
            _isian("nik_ayah", "NIK ayah", "Father's NIK", wajib=False),
            _isian("nama_ibu", "Nama ibu", "Mother's name"),
            _isian("nik_ibu", "NIK ibu", "Mother's NIK", wajib=False),
            _isian("hubungan_pelapor", "Hubungan pelapor dengan anak", "Reporter's relationship to the child",
                   "pilihan", pilihan=["ayah", "ibu", "kakek/nenek", "saudara", "lainnya"]),
        ],
        "dasar_hukum": DASAR_ADMINDUK + "; " + DASAR_UMUM,
    },
    {
        "kode": "kematian",
        "nama": "Surat Keterangan Kematian",
        "nama_en": "Certificate of Death",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN KEMATIAN",
        "kode_klasifikasi": KLAS_LAHIR_MATI,
        "sla_jam_kelurahan": "7.5",
        "deskripsi": "Keterangan kematian untuk akta kematian, klaim asuransi/taspen dan pengurusan waris.",
        "deskripsi_en": "Certifies a death, for the death certificate, insurance or pension claims and inheritance.",
        "persyaratan": [PENGANTAR_RT, KK,
                        _syarat("ktp_almarhum", "KTP-el almarhum/almarhumah", "ID card of the deceased"),
                        _syarat("keterangan_dokter", "Surat keterangan kematian dari dokter/rumah sakit (bila ada)",
                                "Doctor's or hospital's death notice (if any)", unggah=False),
                        _syarat("ktp_saksi", "KTP-el dua orang saksi", "ID cards of two witnesses")],
        "formulir": [
            _isian("nama_almarhum", "Nama almarhum/almarhumah", "Name of the deceased"),
            _isian("nik_almarhum", "NIK", "NIK of the deceased"),
            _isian("jenis_kelamin_almarhum", "Jenis kelamin", "Sex", "pilihan", pilihan=JENIS_KELAMIN),
            _isian("tempat_lahir_almarhum", "Tempat lahir", "Place of birth", wajib=False),
            _isian("tanggal_lahir_almarhum", "Tanggal lahir", "Date of birth", "tanggal", wajib=False),
            _isian("alamat_terakhir", "Alamat terakhir", "Last address"),
            _isian("tanggal_meninggal", "Tanggal meninggal", "Date of death", "tanggal"),
            _isian("jam_meninggal", "Pukul", "Time of death", "jam", wajib=False),
            _isian("tempat_meninggal", "Tempat meninggal", "Place of death"),
            _isian("sebab", "Sebab kematian", "Cause of death", "pilihan",
                   pilihan=["sakit biasa/tua", "sakit", "kecelakaan", "bencana", "lainnya"]),
            _isian("hubungan_pelapor", "Hubungan pelapor dengan almarhum/almarhumah",
                   "Reporter's relationship to the deceased"),
        ],
        "dasar_hukum": DASAR_ADMINDUK,
    },
    {
        "kode": "ahli-waris",
        "nama": "Surat Keterangan Ahli Waris",
        "nama_en": "Certificate of Heirs",
        "tingkat": Layanan.Tingkat.KECAMATAN,
        "perihal": "SURAT KETERANGAN AHLI WARIS",
        "kode_klasifikasi": KLAS_LAHIR_MATI,
        "sla_jam_kelurahan": "15",
        "sla_jam_kecamatan": "22.5",
        "deskripsi": "Pernyataan ahli waris yang disaksikan dan dibenarkan lurah, lalu dikuatkan camat; untuk "
        "balik nama sertifikat, pencairan tabungan atau taspen.",
        "deskripsi_en": "The heirs' statement, witnessed and confirmed by the lurah and endorsed by the camat; for "
        "transferring land titles, bank savings or pensions.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("akta_kematian", "Akta kematian pewaris", "Death certificate of the deceased"),
                        _syarat("pernyataan_ahli_waris", "Surat pernyataan ahli waris ditandatangani semua ahli "
                                "waris dan dua saksi, bermeterai", "Heirs' statement signed by every heir and two "
                                "witnesses, stamped"),
                        _syarat("ktp_ahli_waris", "KTP-el seluruh ahli waris", "ID cards of all heirs"),
                        _syarat("buku_nikah_pewaris", "Buku nikah pewaris", "Marriage book of the deceased",
                                unggah=False)],
        "formulir": [
            _isian("nama_pewaris", "Nama pewaris (almarhum/almarhumah)", "Name of the deceased"),
            _isian("nik_pewaris", "NIK pewaris", "NIK of the deceased"),
            _isian("tanggal_meninggal", "Tanggal meninggal", "Date of death", "tanggal"),
            _isian("tempat_meninggal", "Tempat meninggal", "Place of death"),
            _isian("alamat_terakhir", "Alamat terakhir pewaris", "Last address of the deceased"),
            _isian("nomor_akta_kematian", "Nomor akta kematian", "Death certificate number", wajib=False),
            _daftar("ahli_waris", "Ahli waris", "Heirs", [
                _isian("nama", "Nama", "Name"),
                _isian("nik", "NIK", "NIK"),
                _isian("hubungan", "Hubungan dengan pewaris", "Relationship to the deceased", "pilihan",
                       pilihan=HUBUNGAN_KELUARGA),
                _isian("tanggal_lahir", "Tanggal lahir", "Date of birth", "tanggal", wajib=False),
            ]),
            _daftar("saksi", "Saksi", "Witnesses", [
                _isian("nama", "Nama", "Name"),
                _isian("nik", "NIK", "NIK"),
                _isian("alamat", "Alamat", "Address"),
            ], minimal=2, maksimal=4),
            _isian("keperluan_waris", "Untuk", "For", "pilihan",
                   pilihan=["balik nama sertifikat", "pencairan dana bank", "taspen/asabri", "lainnya"]),
        ],
        "dasar_hukum": "Peraturan Menteri Negara Agraria/Kepala BPN Nomor 3 Tahun 1997 Pasal 111 ayat (1) huruf c "
        "angka 4; Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan",
    },
    {
        "kode": "belum-menikah",
        "nama": "Surat Keterangan Belum Pernah Menikah",
        "nama_en": "Certificate of Never Having Married",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN BELUM PERNAH MENIKAH",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan status belum pernah menikah untuk melamar kerja, pendaftaran TNI/Polri atau "
        "persyaratan beasiswa.",
        "deskripsi_en": "States that the applicant has never married, for job applications, military or police "
        "enlistment or scholarships.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("pernyataan_belum_menikah", "Surat pernyataan belum pernah menikah bermeterai",
                                "Signed and stamped statement of never having married")],
        "formulir": [_isian("digunakan_untuk", "Digunakan untuk", "Needed for")],
        "dasar_hukum": DASAR_UMUM,
    },
    {
        "kode": "pindah",
        "nama": "Surat Pengantar Pindah",
        "nama_en": "Cover Letter for Moving Out",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT PENGANTAR PINDAH",
        "kode_klasifikasi": KLAS_PINDAH_DATANG,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Pengantar kelurahan untuk Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI) di "
        "Dinas Kependudukan dan Pencatatan Sipil.",
        "deskripsi_en": "The kelurahan's cover letter for the moving-out certificate (SKPWNI) at the civil registry.",
        "persyaratan": [PENGANTAR_RT, KTP, KK],
        "formulir": [
            _isian("alamat_tujuan", "Alamat tujuan", "Destination address"),
            _isian("kelurahan_tujuan", "Desa/kelurahan tujuan", "Destination village"),
            _isian("kecamatan_tujuan", "Kecamatan tujuan", "Destination district"),
            _isian("kabkota_tujuan", "Kabupaten/kota tujuan", "Destination regency/city"),
            _isian("provinsi_tujuan", "Provinsi tujuan", "Destination province"),
            _isian("kode_wilayah_tujuan", "Kode wilayah tujuan", "Destination region code", wajib=False),
            _isian("alasan_pindah", "Alasan pindah", "Reason for moving", "pilihan",
                   pilihan=["pekerjaan", "pendidikan", "keamanan", "kesehatan", "perumahan", "keluarga", "lainnya"]),
            _isian("tanggal_pindah", "Rencana tanggal pindah", "Planned moving date", "tanggal"),
            _daftar("anggota_pindah", "Anggota keluarga yang ikut pindah", "Family members moving along", [
                _isian("nama", "Nama", "Name"),
                _isian("nik", "NIK", "NIK"),
                _isian("hubungan", "Hubungan dalam keluarga", "Relationship in the family", "pilihan",
                       pilihan=HUBUNGAN_KELUARGA),
            ], minimal=0, maksimal=12, wajib=False),
        ],
        "dasar_hukum": "Peraturan Presiden Nomor 96 Tahun 2018; Permendagri Nomor 108 Tahun 2019",
    },
    {
        "kode": "penghasilan",
        "nama": "Surat Keterangan Penghasilan Orang Tua",
        "nama_en": "Certificate of Parents' Income",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN PENGHASILAN",
        "kode_klasifikasi": KLAS_KEMISKINAN,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan penghasilan orang tua untuk pendaftaran sekolah, UKT atau beasiswa.",
        "deskripsi_en": "States the parents' income, for school enrolment, university fee bands (UKT) or "
        "scholarships.",
        "persyaratan": [PENGANTAR_RT, KTP, KK],
        "formulir": [
            _isian("nama_anak", "Nama anak", "Child's name"),
            _isian("sekolah_tujuan", "Sekolah/perguruan tinggi", "School or university"),
            _isian("penghasilan_bulanan", "Penghasilan rata-rata per bulan", "Average income per month", "angka",
                   format="rupiah"),
        ],
        "dasar_hukum": DASAR_UMUM,
    },
    {
        "kode": "janda-duda",
        "nama": "Surat Keterangan Janda/Duda",
        "nama_en": "Certificate of Widowhood or Divorce",
        "tingkat": Layanan.Tingkat.KELURAHAN,
        "perihal": "SURAT KETERANGAN JANDA/DUDA",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "2",
        "deskripsi": "Keterangan status janda/duda cerai mati atau cerai hidup, untuk pensiun janda/duda, "
        "perkawinan kembali atau administrasi lain.",
        "deskripsi_en": "States that the applicant is widowed or divorced, for a survivor's pension, remarriage "
        "or other purposes.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("akta_cerai_kematian", "Akta cerai atau akta kematian pasangan",
                                "Divorce certificate or the spouse's death certificate")],
        "formulir": [
            _isian("status", "Status", "Status", "pilihan", pilihan=["janda cerai mati", "janda cerai hidup",
                                                                    "duda cerai mati", "duda cerai hidup"]),
            _isian("nama_pasangan", "Nama mantan suami/istri", "Former spouse's name"),
            _isian("tanggal_peristiwa", "Tanggal cerai/meninggal", "Date of divorce or death", "tanggal"),
            _isian("nomor_akta", "Nomor akta cerai/kematian", "Divorce or death certificate number", wajib=False),
        ],
        "dasar_hukum": "Undang-Undang Nomor 1 Tahun 1974 tentang Perkawinan; " + DASAR_UMUM,
    },
    {
        "kode": "iumk",
        "nama": "Izin Usaha Mikro dan Kecil (IUMK)",
        "nama_en": "Micro and Small Business Permit (IUMK)",
        "tingkat": Layanan.Tingkat.KECAMATAN,
        "perihal": "IZIN USAHA MIKRO DAN KECIL",
        "kode_klasifikasi": KLAS_KOPERASI_UKM,
        "sla_jam_kelurahan": "7.5",
        "sla_jam_kecamatan": "15",
        "deskripsi": "Izin usaha mikro dan kecil yang kewenangannya dilimpahkan wali kota kepada camat; "
        "pengantar kelurahan, lalu diterbitkan camat. Usaha yang sudah memiliki NIB lewat OSS tidak memerlukannya.",
        "deskripsi_en": "The micro and small business permit the mayor delegates to the camat: the kelurahan "
        "forwards it, the camat issues it. A business that already has an NIB from OSS does not need it.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("pas_foto", "Pas foto berwarna 4x6", "Colour passport photo 4x6"),
                        _syarat("foto_usaha", "Foto lokasi usaha", "Photo of the business site"),
                        _syarat("pernyataan_iumk", "Surat pernyataan kesanggupan mematuhi ketentuan (formulir IUMK)",
                                "Signed undertaking to follow the rules (IUMK form)")],
        "formulir": [
            _isian("nama_usaha", "Nama usaha", "Business name"),
            _isian("bentuk_usaha", "Bentuk usaha", "Form of business", "pilihan", pilihan=["perorangan", "kelompok"]),
            _isian("kegiatan_usaha", "Kegiatan usaha", "Business activity"),
            _isian("sarana_usaha", "Sarana usaha", "Business premises", "pilihan",
                   pilihan=["toko/kios", "los/lapak", "rumah tinggal", "kendaraan/gerobak", "lainnya"]),
            _isian("alamat_usaha", "Alamat usaha", "Business address"),
            _isian("modal_usaha", "Jumlah modal usaha", "Business capital", "angka", format="rupiah"),
            _isian("mulai_usaha", "Mulai usaha sejak", "In business since", "tanggal"),
            _isian("npwp", "NPWP", "Tax number (NPWP)", wajib=False),
        ],
        "dasar_hukum": "Peraturan Presiden Nomor 98 Tahun 2014 tentang Perizinan untuk Usaha Mikro dan Kecil; "
        "Permendagri Nomor 83 Tahun 2014 tentang Pedoman Pemberian Izin Usaha Mikro dan Kecil",
    },
    {
        "kode": "dispensasi-nikah",
        "nama": "Dispensasi Nikah Kurang dari 10 Hari Kerja",
        "nama_en": "Marriage Dispensation (less than 10 working days' notice)",
        "tingkat": Layanan.Tingkat.KECAMATAN,
        "perihal": "SURAT DISPENSASI NIKAH",
        "kode_klasifikasi": KLAS_PERKAWINAN,
        "sla_jam_kelurahan": "3",
        "sla_jam_kecamatan": "4.5",
        "deskripsi": "Dispensasi camat bila akad nikah dilangsungkan kurang dari 10 hari kerja sejak "
        "pemberitahuan kehendak nikah kepada KUA.",
        "deskripsi_en": "The camat's dispensation when the wedding takes place less than 10 working days after "
        "the notice of intended marriage to the KUA.",
        "persyaratan": [PENGANTAR_RT, KTP, KK,
                        _syarat("n1_n4", "Formulir N1–N4 yang sudah ditandatangani lurah",
                                "Forms N1–N4 signed by the lurah"),
                        _syarat("alasan_mendesak", "Surat pernyataan alasan mendesak bermeterai",
                                "Signed and stamped statement of the urgent reason")],
        "formulir": [
            _isian("nama_calon", "Nama calon pasangan", "Future spouse's name"),
            _isian("nik_calon", "NIK calon pasangan", "Future spouse's NIK"),
            _isian("tanggal_pemberitahuan", "Tanggal pemberitahuan kehendak nikah ke KUA",
                   "Date of the notice to the KUA", "tanggal"),
            _isian("tanggal_nikah", "Tanggal akad", "Wedding date", "tanggal"),
            _isian("tempat_nikah", "Tempat akad / KUA", "Venue / KUA"),
            _isian("alasan", "Alasan mendesak", "Urgent reason"),
        ],
        "dasar_hukum": DASAR_NIKAH,
    },
]


def _nilai_layanan(entri: dict, urutan: int) -> dict:
    kelurahan = Decimal(entri["sla_jam_kelurahan"])
    kecamatan = Decimal(entri.get("sla_jam_kecamatan", "0"))
    return {
        "nama": entri["nama"],
        "nama_en": entri.get("nama_en", ""),
        "tingkat": entri["tingkat"],
        "perihal": entri["perihal"],
        "kode_klasifikasi": entri["kode_klasifikasi"],
        "sla_jam": kelurahan + kecamatan,
        "sla_jam_kelurahan": kelurahan,
        "sla_jam_kecamatan": kecamatan,
        "biaya": 0,
        "deskripsi": entri["deskripsi"],
        "deskripsi_en": entri.get("deskripsi_en", ""),
        "formulir": entri["formulir"],
        "dasar_hukum": entri["dasar_hukum"],
        "urutan": urutan,
    }


def _sinkron_persyaratan(layanan: Layanan, daftar: list[dict]) -> dict:
    """Make the service's requirements exactly `daftar`; return what changed, for the ledger."""
    ada = {p.kode: p for p in layanan.persyaratan.all()}
    perubahan = {}
    for urutan, syarat in enumerate(daftar, start=1):
        nilai = {"nama": syarat["nama"], "nama_en": syarat.get("nama_en", ""), "unggah": syarat["unggah"],
                 "urutan": urutan}
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
