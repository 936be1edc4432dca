"""The officers' integrity survey: the yearly questionnaire in which an office's own staff assess its
integrity (Kota Pekalongan ran one in 2020 with 150 ASN from eselon II to staff). Questions and arithmetic.

Answers 1–4, 4 the answer of an office with integrity. The index of an office is the mean of the item
means (like IPAK), on 1–4, two decimals; shown only when at least SURVEI_PEGAWAI_MIN_RESPONDEN officers
of that office answered, since a smaller group would let colleagues guess who answered what.
"""

from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.ikm import bulatkan

BUTIR_PEGAWAI = (
    "transparansi",
    "gratifikasi",
    "pungutan",
    "nepotisme",
    "konflik_kepentingan",
    "pelaporan",
    "pencegahan",
)
PERTANYAAN_PEGAWAI = {
    "transparansi": _("Informasi tentang anggaran, kegiatan dan standar layanan kantor ini terbuka bagi pegawai "
                      "dan masyarakat."),
    "gratifikasi": _("Pegawai di kantor ini menolak hadiah, uang atau fasilitas dari warga atau rekanan yang "
                     "berkaitan dengan tugasnya."),
    "pungutan": _("Di kantor ini tidak ada pungutan di luar ketentuan, baik kepada warga maupun antarpegawai."),
    "nepotisme": _("Promosi, mutasi dan pembagian tugas di kantor ini didasarkan pada kinerja dan kompetensi, "
                   "bukan kedekatan atau hubungan keluarga."),
    "konflik_kepentingan": _("Pegawai yang punya kepentingan pribadi dalam suatu urusan menyatakannya dan tidak "
                             "ikut memutuskan urusan itu."),
    "pelaporan": _("Saya merasa aman melaporkan dugaan pelanggaran integritas di kantor ini, dan laporan "
                   "ditindaklanjuti."),
    "pencegahan": _("Upaya pencegahan korupsi di kantor ini (pengendalian gratifikasi, saluran pengaduan, "
                    "pengawasan atasan) dijalankan sungguh-sungguh, bukan sekadar formalitas."),
}
PILIHAN_PEGAWAI = (_("Sangat tidak setuju"), _("Tidak setuju"), _("Setuju"), _("Sangat setuju"))


def periode_sekarang() -> str:
    """The survey runs once a year: the period is the year."""
    return str(timezone.localdate().year)


def kuesioner_pegawai() -> list[dict]:
    return [{"kunci": k, "label": str(PERTANYAAN_PEGAWAI[k]), "pilihan": [str(p) for p in PILIHAN_PEGAWAI]}
            for k in BUTIR_PEGAWAI]


def indeks_pegawai(jumlah: dict, responden: int):
    """Mean of the item means on 1–4, two decimals (None without answers)."""
    if responden <= 0:
        return None
    return bulatkan(sum(Fraction(int(jumlah[k]), responden) for k in BUTIR_PEGAWAI) / len(BUTIR_PEGAWAI))
