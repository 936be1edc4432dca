"""The questions of the Zona Integritas worksheet (LKE) of PermenPANRB 90/2021 and their weights.

Komponen pengungkit (60) has six areas; each area is split into pemenuhan (the "what is in place"
questions) and reform (the "what has changed" questions), half of the area's weight each. Each part has
sub-components with a weight; a sub-component's score is its weight × the mean of its questions' values
(0–1). The weights below add up to the areas' 8 / 7 / 10 / 10 / 15 / 10 (test_zi_lke checks the sums).
Sources and the status of each figure: docs/indikator.md ("LKE").

A question's form (`jenis`) is how the evaluators' sheet takes it: ya/tidak, a–c, a–d, a–e, a percentage,
or "sistem" (measured by Simpatik, not answered by the office). `bukti_sistem` names what Simpatik shows
beside a question the office answers (its measure as evidence, not as the answer).
"""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Pertanyaan:
    kode: str
    teks: object
    jenis: str
    bukti_sistem: str = ""


@dataclass(frozen=True)
class SubKomponen:
    kode: str
    area: str
    bagian: str
    nama: object
    bobot: Fraction
    pertanyaan: tuple


def _sub(kode, nama, bobot, *butir):
    area, bagian = AREA_KODE[kode.split(".")[0]], {"p": "pemenuhan", "r": "reform"}[kode.split(".")[1]]
    pertanyaan = tuple(Pertanyaan(f"{kode}.{huruf}", teks, jenis, *bukti)
                       for huruf, (teks, jenis, *bukti) in zip("abcdefghij", butir, strict=False))
    return SubKomponen(kode, area, bagian, nama, Fraction(bobot), pertanyaan)


AREA_KODE = {"mp": "manajemen_perubahan", "pt": "penataan_tatalaksana", "sdm": "penataan_sdm",
             "ak": "penguatan_akuntabilitas", "pw": "penguatan_pengawasan", "pp": "pelayanan_publik"}

SUBKOMPONEN = (
    # ---- I. PEMENUHAN ---------------------------------------------------------------------------------
    # Manajemen perubahan (4.00)
    _sub("mp.p.1", _("Penyusunan tim kerja"), "0.5",
         (_("Unit kerja telah membentuk tim untuk membangun Zona Integritas"), "ya_tidak"),
         (_("Anggota tim dipilih melalui prosedur atau mekanisme yang jelas"), "abc")),
    _sub("mp.p.2", _("Rencana pembangunan Zona Integritas"), "1",
         (_("Ada dokumen rencana kerja pembangunan Zona Integritas menuju WBK/WBBM"), "ya_tidak"),
         (_("Dokumen rencana memuat target prioritas yang relevan dengan tujuan WBK/WBBM"), "abc"),
         (_("Ada mekanisme atau media untuk menyosialisasikan pembangunan WBK/WBBM"), "abc")),
    _sub("mp.p.3", _("Pemantauan dan evaluasi pembangunan WBK/WBBM"), "1",
         (_("Seluruh kegiatan pembangunan dilaksanakan sesuai rencana"), "abcd"),
         (_("Pembangunan Zona Integritas dipantau dan dievaluasi"), "abcd"),
         (_("Hasil pemantauan dan evaluasi ditindaklanjuti"), "abcd")),
    _sub("mp.p.4", _("Perubahan pola pikir dan budaya kerja"), "1.5",
         (_("Pimpinan menjadi teladan dalam pembangunan WBK/WBBM"), "ya_tidak"),
         (_("Agen perubahan sudah ditetapkan"), "abc"),
         (_("Budaya kerja dan pola pikir dibangun di lingkungan organisasi"), "abc"),
         (_("Anggota organisasi terlibat dalam pembangunan Zona Integritas"), "abcd")),
    # Penataan tatalaksana (3.50)
    _sub("pt.p.1", _("Prosedur operasional tetap (SOP) kegiatan utama"), "1",
         (_("SOP mengacu pada peta proses bisnis instansi"), "abcd"),
         (_("SOP telah diterapkan"), "abcde"),
         (_("SOP telah dievaluasi"), "abcde")),
    _sub("pt.p.2", _("Sistem pemerintahan berbasis elektronik (SPBE)"), "2",
         (_("Pengukuran kinerja unit memakai teknologi informasi"), "abc"),
         (_("Manajemen SDM dijalankan dengan teknologi informasi"), "abc"),
         (_("Pelayanan kepada publik memakai teknologi informasi"), "abc", "daring"),
         (_("Pemanfaatan teknologi informasi dipantau dan dievaluasi"), "abc")),
    _sub("pt.p.3", _("Keterbukaan informasi publik"), "0.5",
         (_("Kebijakan keterbukaan informasi publik telah diterapkan"), "abc"),
         (_("Pelaksanaan kebijakan keterbukaan informasi publik dipantau dan dievaluasi"), "abc")),
    # Penataan sistem manajemen SDM (5.00)
    _sub("sdm.p.1", _("Perencanaan kebutuhan pegawai sesuai kebutuhan organisasi"), "0.25",
         (_("Kebutuhan pegawai mengacu pada peta jabatan dan analisis beban kerja"), "ya_tidak"),
         (_("Penempatan pegawai hasil rekrutmen mengacu pada kebutuhan per jabatan"), "abcd"),
         (_("Penempatan pegawai dipantau dan dievaluasi terhadap kinerja unit"), "ya_tidak")),
    _sub("sdm.p.2", _("Pola mutasi internal"), "0.5",
         (_("Pengembangan karier memakai mutasi antarjabatan"), "ya_tidak"),
         (_("Mutasi memperhatikan kompetensi jabatan dan pola mutasi yang ditetapkan"), "abcde"),
         (_("Mutasi dipantau dan dievaluasi terhadap perbaikan kinerja"), "ya_tidak")),
    _sub("sdm.p.3", _("Pengembangan pegawai berbasis kompetensi"), "1.25",
         (_("Unit kerja melakukan analisis kebutuhan pelatihan (TNA)"), "ya_tidak"),
         (_("Rencana pengembangan kompetensi mempertimbangkan hasil pengelolaan kinerja"), "abcd"),
         (_("Kesenjangan kompetensi pegawai terhadap standar jabatan diukur"), "abcd"),
         (_("Pegawai mendapat kesempatan diklat dan pengembangan kompetensi"), "abcd"),
         (_("Unit kerja mengembangkan kompetensi pegawai (in-house, coaching, mentoring)"), "abcd"),
         (_("Hasil pengembangan kompetensi dipantau dan dievaluasi terhadap kinerja"), "abc")),
    _sub("sdm.p.4", _("Penetapan kinerja individu"), "2",
         (_("Kinerja individu ditetapkan dan terkait dengan kinerja organisasi"), "abcd"),
         (_("Ukuran kinerja individu selaras dengan indikator level di atasnya"), "abcd"),
         (_("Kinerja individu diukur berkala"), "abcde"),
         (_("Hasil penilaian kinerja menjadi dasar penghargaan"), "ya_tidak")),
    _sub("sdm.p.5", _("Penegakan aturan disiplin, kode etik dan kode perilaku"), "0.75",
         (_("Aturan disiplin, kode etik dan kode perilaku dilaksanakan"), "abcd")),
    _sub("sdm.p.6", _("Sistem informasi kepegawaian"), "0.25",
         (_("Data kepegawaian unit kerja dimutakhirkan berkala"), "abc")),
    # Penguatan akuntabilitas (5.00)
    _sub("ak.p.1", _("Keterlibatan pimpinan"), "2.5",
         (_("Pimpinan terlibat langsung dalam penyusunan perencanaan"), "abc"),
         (_("Pimpinan terlibat langsung dalam penyusunan perjanjian kinerja"), "abc"),
         (_("Pimpinan memantau capaian kinerja berkala"), "abcd")),
    _sub("ak.p.2", _("Pengelolaan akuntabilitas kinerja"), "2.5",
         (_("Dokumen perencanaan kinerja ada"), "ya_tidak"),
         (_("Perencanaan kinerja berorientasi hasil"), "ya_tidak"),
         (_("Indikator kinerja utama (IKU) ditetapkan"), "ya_tidak"),
         (_("Indikator kinerja memenuhi kriteria SMART"), "abcd"),
         (_("Laporan kinerja disusun tepat waktu"), "ya_tidak"),
         (_("Laporan kinerja memberi informasi tentang kinerja"), "abc"),
         (_("Ada upaya meningkatkan kapasitas SDM pengelola akuntabilitas kinerja"), "ya_tidak"),
         (_("Akuntabilitas kinerja dikelola oleh SDM yang kompeten"), "abc")),
    # Penguatan pengawasan (7.50)
    _sub("pw.p.1", _("Pengendalian gratifikasi"), "1.5",
         (_("Kampanye publik tentang pengendalian gratifikasi dilakukan"), "abc"),
         (_("Pengendalian gratifikasi diterapkan"), "abcd")),
    _sub("pw.p.2", _("Sistem pengendalian intern pemerintah (SPIP)"), "1.5",
         (_("Lingkungan pengendalian dibangun"), "abcde"),
         (_("Risiko pelaksanaan kebijakan dinilai"), "abcde"),
         (_("Kegiatan pengendalian dijalankan untuk risiko yang teridentifikasi"), "abc"),
         (_("SPI diinformasikan dan dikomunikasikan kepada semua pihak terkait"), "abc")),
    _sub("pw.p.3", _("Pengaduan masyarakat"), "1.5",
         (_("Kebijakan pengaduan masyarakat diterapkan"), "abc"),
         (_("Hasil penanganan pengaduan ditindaklanjuti"), "ya_tidak", "pengaduan_tuntas"),
         (_("Penanganan pengaduan dipantau dan dievaluasi"), "abc"),
         (_("Hasil evaluasi penanganan pengaduan ditindaklanjuti"), "abc")),
    _sub("pw.p.4", _("Whistle-blowing system"), "1.5",
         (_("Whistle-blowing system diterapkan"), "abc"),
         (_("Penerapan whistle-blowing system dievaluasi"), "abc"),
         (_("Hasil evaluasi whistle-blowing system ditindaklanjuti"), "abc")),
    _sub("pw.p.5", _("Penanganan benturan kepentingan"), "1.5",
         (_("Benturan kepentingan dalam tugas utama diidentifikasi atau dipetakan"), "abcd"),
         (_("Penanganan benturan kepentingan disosialisasikan"), "abcd"),
         (_("Penanganan benturan kepentingan diterapkan"), "abcd"),
         (_("Penanganan benturan kepentingan dievaluasi"), "abc"),
         (_("Hasil evaluasi penanganan benturan kepentingan ditindaklanjuti"), "abc")),
    # Peningkatan kualitas pelayanan publik (5.00)
    _sub("pp.p.1", _("Standar pelayanan"), "1",
         (_("Ada kebijakan standar pelayanan"), "abcde", "standar"),
         (_("Standar pelayanan dimaklumatkan"), "abcd", "standar"),
         (_("Standar pelayanan dan SOP direviu dan diperbaiki"), "abcd"),
         (_("Standar pelayanan dipublikasikan"), "ya_tidak", "standar")),
    _sub("pp.p.2", _("Budaya pelayanan prima"), "1",
         (_("Sosialisasi atau pelatihan budaya pelayanan prima dilakukan"), "abcde"),
         (_("Informasi pelayanan mudah diakses melalui berbagai media"), "abcd"),
         (_("Ada sistem sanksi dan penghargaan bagi pelaksana layanan"), "abcd"),
         (_("Ada kompensasi bagi penerima layanan bila layanan tidak sesuai standar"), "abcd", "kompensasi"),
         (_("Ada sarana layanan terpadu atau terintegrasi"), "abcd"),
         (_("Ada inovasi pelayanan"), "abcde")),
    _sub("pp.p.3", _("Pengelolaan pengaduan"), "1",
         (_("Pengaduan terintegrasi dengan SP4N-LAPOR!"), "abcde", "lapor"),
         (_("Ada unit atau petugas pengelola pengaduan"), "abc"),
         (_("Penanganan keluhan dievaluasi"), "abc", "pengaduan_tepat_waktu")),
    _sub("pp.p.4", _("Penilaian kepuasan terhadap pelayanan"), "1",
         (_("Survei kepuasan masyarakat dilakukan"), "abcde", "ikm"),
         (_("Hasil survei kepuasan masyarakat terbuka untuk umum"), "abc", "ikm_publik"),
         (_("Hasil survei kepuasan masyarakat ditindaklanjuti"), "abcd")),
    _sub("pp.p.5", _("Pemanfaatan teknologi informasi"), "1",
         (_("Teknologi informasi diterapkan dalam pelayanan"), "abcd", "daring"),
         (_("Ada basis data pelayanan yang terintegrasi"), "ya_tidak", "daring"),
         (_("Pelayanan diperbaiki terus-menerus"), "abc")),
    # ---- II. REFORM -------------------------------------------------------------------------------------
    _sub("mp.r.1", _("Komitmen dalam perubahan"), "2",
         (_("Persentase perubahan konkret yang dibuat agen perubahan dalam setahun (perubahan ÷ agen)"),
          "persen"),
         (_("Persentase perubahan oleh agen perubahan yang terintegrasi dalam sistem manajemen"), "persen")),
    _sub("mp.r.2", _("Komitmen pimpinan"), "1",
         (_("Pimpinan berkomitmen pada reformasi birokrasi dengan target yang jelas"), "abcde")),
    _sub("mp.r.3", _("Membangun budaya kerja"), "1",
         (_("Instansi membangun budaya kerja positif dan menerapkan nilai organisasi"), "abcd")),
    _sub("pt.r.1", _("Peta proses bisnis dan penyederhanaan jabatan"), "0.5",
         (_("Peta proses bisnis disusun dengan penyederhanaan jabatan"), "abcd")),
    _sub("pt.r.2", _("SPBE yang terintegrasi"), "1",
         (_("SPBE terintegrasi membuat pelayanan publik lebih cepat dan efisien"), "abc", "daring"),
         (_("SPBE terintegrasi membuat pelayanan internal lebih cepat dan efisien"), "abc")),
    _sub("pt.r.3", _("Transformasi digital memberi nilai manfaat"), "2",
         (_("Transformasi digital proses bisnis utama memberi manfaat"), "abcde"),
         (_("Transformasi digital administrasi pemerintahan memberi manfaat"), "abcde"),
         (_("Transformasi digital pelayanan publik memberi manfaat"), "abcde", "daring")),
    _sub("sdm.r.1", _("Kinerja individu"), "1.5",
         (_("Ukuran kinerja individu berorientasi hasil (outcome)"), "abc")),
    _sub("sdm.r.2", _("Asesmen pegawai"), "1.5",
         (_("Hasil asesmen menjadi pertimbangan mutasi dan pengembangan karier"), "abc")),
    _sub("sdm.r.3", _("Pelanggaran disiplin pegawai"), "2",
         (_("Persentase penurunan pelanggaran disiplin pegawai"), "persen")),
    _sub("ak.r.1", _("Meningkatnya capaian kinerja unit kerja"), "2",
         (_("Persentase sasaran dengan capaian 100 % atau lebih"), "persen", "sla")),
    _sub("ak.r.2", _("Pemberian penghargaan dan sanksi"), "1.5",
         (_("Capaian kinerja menjadi dasar penghargaan dan sanksi"), "abcd")),
    _sub("ak.r.3", _("Kerangka logis kinerja"), "1.5",
         (_("Ada penjenjangan kinerja (kerangka logis kinerja)"), "abcd")),
    _sub("pw.r.1", _("Mekanisme pengendalian"), "2.5",
         (_("Pengendalian aktivitas utama dilakukan berjenjang"), "abcde")),
    _sub("pw.r.2", _("Penanganan pengaduan masyarakat"), "3",
         (_("Persentase pengaduan masyarakat yang ditangani tuntas (diukur sistem)"), "sistem", "pengaduan_tuntas")),
    _sub("pw.r.3", _("Penyampaian laporan harta kekayaan"), "2",
         (_("Persentase wajib lapor yang menyampaikan LHKPN"), "persen"),
         (_("Persentase wajib lapor yang menyampaikan laporan harta kekayaan non-LHKPN"), "persen")),
    _sub("pp.r.1", _("Upaya dan/atau inovasi pelayanan publik"), "2.5",
         (_("Upaya atau inovasi mendorong perbaikan pelayanan publik"), "abcd"),
         (_("Persentase perizinan atau pelayanan yang dipermudah oleh upaya atau inovasi"), "persen")),
    _sub("pp.r.2", _("Penanganan pengaduan pelayanan dan konsultasi"), "2.5",
         (_("Pengaduan dan konsultasi ditangani responsif dan bertanggung jawab"), "abcd", "pengaduan_tepat_waktu")),
)

PERTANYAAN = {p.kode: p for s in SUBKOMPONEN for p in s.pertanyaan}
# Komponen hasil: capaian kinerja is answered by the office; IPAK and IPKP come from the residents' surveys.
CAPAIAN_KINERJA = Pertanyaan(
    "hasil.capaian", _("Capaian kinerja lebih baik (a), sama (b) atau lebih rendah (c) dari tahun sebelumnya"), "abc",
    "sla")
DIISI_KANTOR = {k: p for k, p in (*PERTANYAAN.items(), (CAPAIAN_KINERJA.kode, CAPAIAN_KINERJA))
                if p.jenis != "sistem"}
