"""Integrity data derived from or beside the ledger: the per-request rollup the indicators read,
anonymous surveys and complaints. Tables keep the names they had in the audit app (db_table)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.enkripsi import TeksTersegel


class PermohonanRingkas(models.Model):
    """Projection of one request's transition events, kept in the same transaction as each event.

    It holds nothing the chain does not: `indikator.ringkasan_bangun_ulang()`
    rebuilds it from the events alone, so it is a cache for speed (indicators on
    a kecamatan-year of a million requests), not a second source of truth.
    """

    permohonan_id = models.BigIntegerField(primary_key=True)
    nomor_registrasi = models.CharField(max_length=12, blank=True)
    layanan = models.CharField(max_length=40, blank=True)
    kelurahan = models.CharField(max_length=13)
    kecamatan = models.CharField(max_length=13)
    kota = models.CharField(max_length=13)
    kantor = models.CharField(max_length=13, blank=True, help_text=_("Kantor yang sedang/terakhir memegang tahapnya"))
    kanal = models.CharField(max_length=6, blank=True)
    pemohon = models.CharField(max_length=64, blank=True, help_text=_("Kunci samaran pemohon, bukan NIK"))
    status = models.CharField(max_length=24)
    diajukan_pada = models.DateTimeField()
    selesai_pada = models.DateTimeField(null=True, blank=True, help_text=_("Saat mencapai status akhir"))
    tenggat = models.DateTimeField(null=True, blank=True)
    jatah_detik = models.PositiveIntegerField(null=True, blank=True)
    terpakai_kelurahan_detik = models.PositiveIntegerField(null=True, blank=True)
    terpakai_kecamatan_detik = models.PositiveIntegerField(null=True, blank=True)
    jeda_detik = models.PositiveIntegerField(null=True, blank=True)
    memenuhi_standar = models.BooleanField(null=True, blank=True)
    lewat_kecamatan = models.BooleanField(default=False)
    pernah_perbaikan = models.BooleanField(default=False)
    event_terakhir = models.BigIntegerField(help_text=_("id AuditEvent terakhir yang diterapkan"))
    diperbarui_pada = models.DateTimeField()

    class Meta:
        db_table = "audit_permohonanringkas"  # created by the audit app; the rows stayed where they were
        verbose_name = _("ringkasan permohonan (indikator)")
        verbose_name_plural = _("ringkasan permohonan (indikator)")
        indexes = [
            models.Index(fields=["kelurahan", "diajukan_pada"], name="ringkas_kel_aju_idx"),
            models.Index(fields=["kecamatan", "diajukan_pada"], name="ringkas_kec_aju_idx"),
            models.Index(fields=["kota", "diajukan_pada"], name="ringkas_kota_aju_idx"),
            models.Index(fields=["kelurahan", "selesai_pada"], name="ringkas_kel_sel_idx"),
            models.Index(fields=["kecamatan", "selesai_pada"], name="ringkas_kec_sel_idx"),
            models.Index(fields=["kota", "selesai_pada"], name="ringkas_kota_sel_idx"),
            models.Index(fields=["kecamatan", "status", "tenggat"], name="ringkas_kec_status_idx"),
            models.Index(fields=["kota", "status", "tenggat"], name="ringkas_kota_status_idx"),
            models.Index(fields=["kelurahan", "status", "tenggat"], name="ringkas_kel_status_idx"),
        ]

    def __str__(self):
        return self.nomor_registrasi or str(self.permohonan_id)


class Survei(models.Model):
    """One answered survey. Anonymous: no user, no request id, only a keyed hash to refuse a second answer."""

    kunci = models.CharField(max_length=64, unique=True, help_text=_("HMAC dari id permohonan"))
    kelurahan = models.CharField(max_length=13)
    kecamatan = models.CharField(max_length=13)
    kota = models.CharField(max_length=13)
    layanan = models.CharField(max_length=40)
    tanggal = models.DateField(help_text=_("Tanggal mengisi; jamnya sengaja tidak disimpan"))
    ikm_persyaratan = models.PositiveSmallIntegerField()
    ikm_prosedur = models.PositiveSmallIntegerField()
    ikm_waktu = models.PositiveSmallIntegerField()
    ikm_biaya = models.PositiveSmallIntegerField()
    ikm_produk = models.PositiveSmallIntegerField()
    ikm_kompetensi = models.PositiveSmallIntegerField()
    ikm_perilaku = models.PositiveSmallIntegerField()
    ikm_pengaduan = models.PositiveSmallIntegerField()
    ikm_sarana = models.PositiveSmallIntegerField()
    ipak_diskriminasi = models.PositiveSmallIntegerField()
    ipak_kecurangan = models.PositiveSmallIntegerField()
    ipak_gratifikasi = models.PositiveSmallIntegerField()
    ipak_pungli = models.PositiveSmallIntegerField()
    ipak_percaloan = models.PositiveSmallIntegerField()
    ipkp_informasi = models.PositiveSmallIntegerField()
    ipkp_persyaratan = models.PositiveSmallIntegerField()
    ipkp_prosedur = models.PositiveSmallIntegerField()
    ipkp_waktu = models.PositiveSmallIntegerField()
    ipkp_biaya = models.PositiveSmallIntegerField()
    ipkp_sarana = models.PositiveSmallIntegerField()
    ipkp_petugas = models.PositiveSmallIntegerField()
    ipkp_pengaduan = models.PositiveSmallIntegerField()
    diminta_bayar = models.BooleanField()
    jumlah_bayar = models.PositiveIntegerField(null=True, blank=True)
    kepada_bayar = models.CharField(max_length=120, blank=True)
    saran = models.TextField(blank=True)
    # The optional, anonymous respondent profile of Permenpan RB 14/2017 (codes of ikm.PROFIL_RESPONDEN).
    responden_jenis_kelamin = models.CharField(max_length=1, null=True, blank=True)  # noqa: DJ001 - NULL: the respondent skipped it
    responden_usia = models.CharField(max_length=6, null=True, blank=True)  # noqa: DJ001 - NULL: the respondent skipped it
    responden_pendidikan = models.CharField(max_length=4, null=True, blank=True)  # noqa: DJ001 - NULL: the respondent skipped it
    responden_pekerjaan = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001 - NULL: the respondent skipped it

    class Meta:
        db_table = "audit_survei"  # created by the audit app; the rows stayed where they were
        verbose_name = _("survei")
        verbose_name_plural = _("survei")
        indexes = [
            models.Index(fields=["kelurahan", "tanggal"], name="survei_kel_idx"),
            models.Index(fields=["kecamatan", "tanggal"], name="survei_kec_idx"),
            models.Index(fields=["kota", "tanggal"], name="survei_kota_idx"),
        ]

    def __str__(self):
        return f"survei {self.kelurahan} {self.tanggal}"


class Pengaduan(models.Model):
    """A complaint. Handled by the inspectorate only; the office it names never reads it."""

    class Kategori(models.TextChoices):
        PUNGLI = "pungli", _("Pungutan liar")
        CALO = "calo", _("Percaloan")
        LAMBAT = "lambat", _("Layanan lambat")
        PERILAKU = "perilaku", _("Perilaku petugas")
        LAINNYA = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        DITERIMA = "diterima", _("Diterima")
        DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
        DITINDAKLANJUTI = "ditindaklanjuti", _("Ditindaklanjuti")
        SELESAI = "selesai", _("Selesai")
        DITUTUP = "ditutup", _("Ditutup")

    kode_lacak = models.CharField(max_length=12, unique=True)
    kategori = models.CharField(max_length=10, choices=Kategori.choices)
    isi = models.TextField()
    nomor_registrasi = models.CharField(max_length=12, blank=True)
    permohonan_id = models.BigIntegerField(null=True, blank=True)
    layanan = models.CharField(max_length=40, blank=True)
    kelurahan = models.CharField(max_length=13, blank=True)
    kecamatan = models.CharField(max_length=13, blank=True)
    kota = models.CharField(max_length=13, blank=True)
    kontak = TeksTersegel(max_length=150, blank=True, help_text=_("Opsional; hanya untuk inspektorat (tersegel)"))
    bukti = models.FileField(upload_to="pengaduan/", max_length=200, blank=True)
    bukti_jenis = models.CharField(max_length=40, blank=True)
    bukti_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DITERIMA, db_index=True)
    diterima_pada = models.DateTimeField()
    tenggat_tanggapan = models.DateTimeField()
    tenggat_selesai = models.DateTimeField()
    ditanggapi_pada = models.DateTimeField(null=True, blank=True)
    diselesaikan_pada = models.DateTimeField(null=True, blank=True)
    lapor_id = models.CharField(
        max_length=40, blank=True,
        help_text=_("Nomor pelacakan laporan di SP4N-LAPOR! bila diteruskan atau diterima dari sana"),
    )

    class Meta:
        db_table = "audit_pengaduan"  # created by the audit app; the rows stayed where they were
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-diterima_pada"]
        indexes = [
            models.Index(fields=["kelurahan", "diterima_pada"], name="pengaduan_kel_idx"),
            models.Index(fields=["kecamatan", "diterima_pada"], name="pengaduan_kec_idx"),
            models.Index(fields=["kota", "diterima_pada"], name="pengaduan_kota_idx"),
        ]

    def __str__(self):
        return self.kode_lacak


class RiwayatPengaduan(models.Model):
    pengaduan = models.ForeignKey(Pengaduan, on_delete=models.CASCADE, related_name="riwayat")
    dari = models.CharField(max_length=16, blank=True)
    ke = models.CharField(max_length=16)
    catatan = models.TextField(blank=True, help_text=_("Ditampilkan kepada pengadu"))
    oleh = models.CharField(max_length=150, blank=True)
    waktu = models.DateTimeField()

    class Meta:
        db_table = "audit_riwayatpengaduan"  # created by the audit app; the rows stayed where they were
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
        ordering = ["pengaduan", "waktu", "id"]

    def __str__(self):
        return f"{self.pengaduan_id}: {self.dari or '-'} → {self.ke}"


class PartisipasiSurveiPegawai(models.Model):
    """That an officer has answered the integrity survey of a period, and nothing else: no office, no
    time, no link to the answer. Keyed by (user, period) so a second answer is refused."""

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    periode = models.CharField(max_length=7)

    class Meta:
        verbose_name = _("partisipasi survei integritas pegawai")
        verbose_name_plural = _("partisipasi survei integritas pegawai")
        constraints = [models.UniqueConstraint(fields=["user", "periode"], name="partisipasi_pegawai_unik")]

    def __str__(self):
        return f"{self.periode} #{self.user_id}"


class JawabanSurveiPegawai(models.Model):
    """One officer's answers: the office and the period only. No user, no date or time, a random id; the
    office's rows are rewritten in random order with fresh ids at every new answer (integritas/pegawai.py),
    so neither ids, physical order nor transaction ids say which answer came when."""

    id = models.UUIDField(primary_key=True, editable=False)
    kantor = models.CharField(max_length=13, help_text=_("Kode wilayah kantor"))
    periode = models.CharField(max_length=7)
    transparansi = models.PositiveSmallIntegerField()
    gratifikasi = models.PositiveSmallIntegerField()
    pungutan = models.PositiveSmallIntegerField()
    nepotisme = models.PositiveSmallIntegerField()
    konflik_kepentingan = models.PositiveSmallIntegerField()
    pelaporan = models.PositiveSmallIntegerField()
    pencegahan = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("jawaban survei integritas pegawai")
        verbose_name_plural = _("jawaban survei integritas pegawai")
        indexes = [models.Index(fields=["kantor", "periode"], name="jawaban_pegawai_idx")]

    def __str__(self):
        return f"{self.kantor} {self.periode}"  # anonymous: nothing that names the officer


class LkeJawaban(models.Model):
    """One answer of an office's Zona Integritas worksheet (LKE) for one year: an indicator of the
    pengungkit filled by the office, with its evidence. Every change is audited (chain `zona_integritas`)."""

    kantor = models.CharField(max_length=13, help_text=_("Kode wilayah kantor"))
    tahun = models.PositiveSmallIntegerField()
    kode = models.CharField(max_length=20, help_text=_("Kode indikator LKE (integritas/zi.py)"))
    jawaban = models.CharField(max_length=6, help_text=_("ya/tidak, a–e, atau persen 0–100"))
    catatan = models.TextField(blank=True)
    bukti = models.FileField(upload_to="lke/", max_length=200, blank=True)
    bukti_jenis = models.CharField(max_length=40, blank=True)
    bukti_sha256 = models.CharField(max_length=64, blank=True)
    diubah_oleh = models.CharField(max_length=150, blank=True)
    diubah_pada = models.DateTimeField()

    class Meta:
        verbose_name = _("jawaban LKE zona integritas")
        verbose_name_plural = _("jawaban LKE zona integritas")
        constraints = [models.UniqueConstraint(fields=["kantor", "tahun", "kode"], name="lke_jawaban_unik")]

    def __str__(self):
        return f"{self.kantor} {self.tahun} {self.kode}: {self.jawaban}"


