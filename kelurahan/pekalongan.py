"""Offices of Kota Pekalongan (33.75): 4 kantor kecamatan, 27 kantor kelurahan and the
inspectorate, the deployment the demo and the README start from.

Region codes and names are Kemendagri's (kelurahan/data/wilayah_dasar.csv).
DEMO DATA: street addresses, postal codes, telephone numbers and the names and
NIP of signers below are invented plausible values (real street names of the
city, but not checked against each office), except where a comment says
otherwise. A real deployment replaces them in the admin.
"""

from django.db import transaction

from kelurahan.models import Kantor, Wilayah
from kelurahan.services import jam_layanan_pasang_bawaan, kantor_simpan

KODE_KOTA = "33.75"
KOP_KOTA = "PEMERINTAH KOTA PEKALONGAN"

# The promise of Permenpan RB 15/2014 (lampiran: contoh maklumat pelayanan).
MAKLUMAT = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan, memberikan pelayanan tanpa dipungut biaya, tanpa calo dan tanpa gratifikasi, dan apabila "
    "tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
)

KOMPENSASI = (
    "Apabila permohonan selesai melebihi jangka waktu standar pelayanan, kami memberikan kompensasi berupa: "
    "(1) permohonan maaf tertulis dari {pimpinan}; (2) penyelesaian dipercepat dan didahulukan paling lambat "
    "1 (satu) hari kerja berikutnya; (3) surat diantar ke alamat pemohon bila diminta."
)

# Kecamatan: (kode, nama, alamat [demo], kode_pos [demo], camat [demo], NIP [demo]).
KECAMATAN = [
    ("33.75.01", "Pekalongan Barat", "Jl. Jenderal Sudirman No. 170", "51116",
     "Drs. Bambang Hermawan, M.Si.", "197202141994031005"),
    ("33.75.02", "Pekalongan Timur", "Jl. Dr. Sutomo No. 29", "51126",
     "Ir. Endah Susilowati, M.M.", "197108301997032004"),
    ("33.75.03", "Pekalongan Utara", "Jl. Jlamprang No. 2", "51141",
     "Hartono, S.Sos., M.Si.", "197405121998031007"),
    ("33.75.04", "Pekalongan Selatan", "Jl. Kurinci No. 12", "51133",
     "Yuli Astuti, S.STP., M.Si.", "198007192000122002"),
]

# Kelurahan: kode -> (alamat [demo], lurah [demo], NIP [demo]). Names come from the wilayah table.
KELURAHAN = {
    "33.75.01.1002": ("Jl. Sriwijaya No. 21", "Agus Setiawan, S.STP.", "198106242003121001"),
    "33.75.01.1003": ("Jl. Kurinci No. 40", "Nur Hidayah, S.E.", "197806112006042011"),
    "33.75.01.1004": ("Jl. Hos Cokroaminoto No. 54", "Teguh Prasetyo, S.Sos.", "197704092005011008"),
    "33.75.01.1006": ("Jl. Bendan Raya No. 7", "Siti Aminah, S.IP.", "198203182009042003"),
    "33.75.01.1008": ("Jl. Pelita I No. 3", "Rudi Hartanto, S.H.", "197911232007011006"),
    "33.75.01.1009": ("Jl. Raya Tirto No. 18", "Muhammad Fauzi, S.Sos.", "197911052006041009"),
    "33.75.01.1012": ("Jl. Slamet No. 60", "Wahyu Nugroho, S.AP.", "198305022010011014"),
    "33.75.02.1002": ("Jl. Seruni No. 11", "Retno Palupi, S.Sos.", "197812142006042008"),
    "33.75.02.1004": ("Jl. Hayam Wuruk No. 5", "Ahmad Syaifudin, S.Ag.", "197601302003121004"),
    "33.75.02.1007": ("Jl. Gajah Mada No. 22", "Sri Rahayu, S.E.", "198004262008012009"),
    "33.75.02.1008": ("Jl. KH Mansyur No. 35", "Dwi Cahyono, S.IP.", "198111072009031005"),
    "33.75.02.1009": ("Jl. Urip Sumoharjo No. 80", "Lilik Suryani, S.Sos.", "197705152005012010"),
    "33.75.02.1010": ("Jl. Dr. Wahidin No. 14", "Heru Santoso, S.H.", "197808202006041012"),
    "33.75.02.1012": ("Jl. Sulawesi No. 9", "Endang Wahyuni, S.AP.", "198209112010012006"),
    "33.75.03.1002": ("Jl. Teratai No. 17", "Imam Basori, S.Sos.", "197512282002121003"),
    "33.75.03.1003": ("Jl. Jlamprang No. 45", "Fitri Handayani, S.STP.", "198906042011102001"),
    "33.75.03.1004": ("Jl. Pelabuhan No. 8", "Sugeng Riyanto, S.E.", "197609142005011011"),
    "33.75.03.1006": ("Jl. Patiunus No. 25", "Khoirul Anam, S.H.I.", "198010022009011007"),
    "33.75.03.1007": ("Jl. Raya Degayu No. 2", "Nining Setyowati, S.Sos.", "197903292007012012"),
    "33.75.03.1009": ("Jl. WR Supratman No. 40", "Budi Raharjo, S.IP.", "197710172006041015"),
    "33.75.03.1010": ("Jl. Tanjung Priok No. 6", "Mulyono, S.Sos.", "197502112003121006"),
    "33.75.04.1002": ("Jl. Raya Banyurip No. 30", "Aris Munandar, S.STP.", "198402262004121002"),
    "33.75.04.1003": ("Jl. Kradenan No. 12", "Umi Kulsum, S.Ag.", "197806302006042014"),
    "33.75.04.1004": ("Jl. Ki Hajar Dewantara No. 71", "Joko Susilo, S.Sos.", "197702082005011013"),
    "33.75.04.1006": ("Jl. Kartini No. 15", "Rahmat Hidayat, S.H.", "198108152009031008"),
    "33.75.04.1008": ("Jl. Yosorejo No. 4", "Tri Wahyuningsih, S.E.", "198012082008012010"),
    "33.75.04.1010": ("Jl. Soko No. 19", "Ahmad Zaenuri, S.Sos.", "197904182006041016"),
}
KODE_POS_KECAMATAN = {baris[0]: baris[3] for baris in KECAMATAN}


def _data_kecamatan(kode, nama, alamat, kode_pos, camat, nip):
    return {
        "jenis": Kantor.Jenis.KECAMATAN,
        "nama": f"Kantor Kecamatan {nama}",
        "alamat": f"{alamat}, Kota Pekalongan",
        "kode_pos": kode_pos,
        "kop_baris_1": KOP_KOTA,
        "kop_baris_2": f"KECAMATAN {nama.upper()}",
        "penandatangan_nama": camat,
        "penandatangan_nip": nip,
        "penandatangan_jabatan": f"CAMAT {nama.upper()}",
        "penandatangan_status": "",
        "maklumat": MAKLUMAT,
        "kompensasi": KOMPENSASI.format(pimpinan="Camat"),
    }


def _data_kelurahan(wilayah: Wilayah, alamat, lurah, nip):
    kecamatan = wilayah.induk
    data = {
        "jenis": Kantor.Jenis.KELURAHAN,
        "nama": f"Kantor Kelurahan {wilayah.nama}",
        "alamat": f"{alamat}, Kelurahan {wilayah.nama}, Kecamatan {kecamatan.nama}, Kota Pekalongan",
        "kode_pos": KODE_POS_KECAMATAN[kecamatan.kode],
        "kop_baris_1": KOP_KOTA,
        "kop_baris_2": f"KECAMATAN {kecamatan.nama.upper()} — KELURAHAN {wilayah.nama.upper()}",
        "penandatangan_nama": lurah,
        "penandatangan_nip": nip,
        "penandatangan_jabatan": f"LURAH {wilayah.nama.upper()}",
        "penandatangan_status": "",
        "maklumat": MAKLUMAT,
        "kompensasi": KOMPENSASI.format(pimpinan="Lurah"),
    }
    if wilayah.kode == "33.75.01.1002":
        data["situs"] = "medono.pekalongankota.go.id"  # the kelurahan's real site on the city's domain
    return data


def kantor_pekalongan_pasang(*, aktor=None) -> dict:
    """Create or refresh every office of Kota Pekalongan and give new ones the default hours.

    Needs the regions of 33.75 (load kelurahan/data/wilayah_dasar.csv first).
    """
    hasil = {"dibuat": 0, "ada": 0, "jam_layanan": 0}
    wilayah = Wilayah.objects.select_related("induk").in_bulk(list(KELURAHAN))
    hilang = sorted(set(KELURAHAN) - set(wilayah))
    if hilang:
        raise Wilayah.DoesNotExist(f"wilayah belum dimuat: {', '.join(hilang)}")
    with transaction.atomic():
        daftar = [
            (KODE_KOTA, {
                "jenis": Kantor.Jenis.KOTA,
                "nama": "Inspektorat Kota Pekalongan",
                "alamat": "Jl. Mataram No. 1, Kota Pekalongan",  # demo: the city hall complex's address
                "kode_pos": "51111",
                "situs": "pekalongankota.go.id",
                "kop_baris_1": KOP_KOTA,
                "kop_baris_2": "INSPEKTORAT",
                "penandatangan_nama": "Sri Lestari, S.E., Ak., M.M.",  # demo
                "penandatangan_nip": "197610202000032003",  # demo
                "penandatangan_jabatan": "INSPEKTUR KOTA PEKALONGAN",
                "maklumat": MAKLUMAT,
            }),
            *[(baris[0], _data_kecamatan(*baris)) for baris in KECAMATAN],
            *[(kode, _data_kelurahan(wilayah[kode], *nilai)) for kode, nilai in KELURAHAN.items()],
        ]
        for kode, data in daftar:
            kantor, dibuat = kantor_simpan(wilayah_kode=kode, data=data, aktor=aktor)
            hasil["dibuat" if dibuat else "ada"] += 1
            if kantor.jenis != Kantor.Jenis.KOTA:
                hasil["jam_layanan"] += jam_layanan_pasang_bawaan(kantor=kantor)
    return hasil
