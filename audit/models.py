"""The audit ledger: append-only, hash-chained, one chain per kelurahan.

This app imports no other app's models: every event carries, in `data`, what
the indicators need (office, service, stage, times, SLA allowance and use,
outcome), so an auditor can recompute them from the verified chain alone.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class RantaiAudit(models.Model):
    """Head of one chain. Locking this row serializes appends to the chain."""

    kunci = models.CharField(max_length=40, primary_key=True)
    urutan = models.BigIntegerField(default=0)
    hash_terakhir = models.CharField(max_length=64, default=GENESIS_HASH)
    # The chain's Merkle tree as its right edge: the roots of its complete subtrees, largest first,
    # hex, concatenated. Moved in the same UPDATE as urutan, so the root of any size is O(log n).
    frontier = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("rantai audit")
        verbose_name_plural = _("rantai audit")

    def __str__(self):
        return f"{self.kunci} #{self.urutan}"


class AuditEvent(models.Model):
    class Kategori(models.TextChoices):
        TRANSISI = "transisi", _("Transisi permohonan")
        AKSES_DATA = "akses_data", _("Akses data pribadi")
        AUTENTIKASI = "autentikasi", _("Masuk/keluar")
        MASTER_DATA = "master_data", _("Perubahan data induk")
        SURAT = "surat", _("Surat")
        NOTIFIKASI = "notifikasi", _("Notifikasi")
        PENGADUAN = "pengaduan", _("Pengaduan")
        SURVEI = "survei", _("Survei")
        SLA = "sla", _("SLA")

    rantai = models.CharField(max_length=40)
    urutan = models.BigIntegerField()
    hash_sebelum = models.CharField(max_length=64)
    # No index on hash or waktu alone: nothing looks events up by them, and a random-key index
    # on a ledger of millions costs every append (docs/benchmarks.md, audit appends).
    hash = models.CharField(max_length=64)
    waktu = models.DateTimeField()
    kategori = models.CharField(max_length=20, choices=Kategori.choices)
    aksi = models.CharField(max_length=40)
    aktor = models.CharField(max_length=150, blank=True)
    aktor_id = models.BigIntegerField(null=True, blank=True)
    peran = models.CharField(max_length=20, blank=True)
    objek_tipe = models.CharField(max_length=30, blank=True)
    objek_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("kejadian audit")
        verbose_name_plural = _("kejadian audit")
        ordering = ["rantai", "urutan"]
        constraints = [
            # Backstops against a fork even if the head lock were bypassed.
            models.UniqueConstraint(fields=["rantai", "urutan"], name="audit_rantai_urutan_unik"),
            models.UniqueConstraint(fields=["rantai", "hash_sebelum"], name="audit_rantai_sebelum_unik"),
        ]
        indexes = [
            models.Index(fields=["objek_tipe", "objek_id", "waktu"], name="audit_objek_idx"),
            models.Index(fields=["kategori", "waktu"], name="audit_kategori_waktu_idx"),
        ]

    def __str__(self):
        return f"{self.rantai}#{self.urutan} {self.aksi}"


class SimpulMerkle(models.Model):
    """Root of one complete subtree of a chain's Merkle tree, at level TINGKAT_SIMPAN (16 leaves) and up.

    Derived from the events (audit_verify recomputes every row) and written by the checkpoint
    job, never by an append, so appends stay three statements. Proofs read at most one row per
    level; levels below are recomputed from at most 15 events.
    """

    rantai = models.CharField(max_length=40)
    tingkat = models.PositiveSmallIntegerField()
    indeks = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("simpul Merkle")
        verbose_name_plural = _("simpul Merkle")
        constraints = [
            models.UniqueConstraint(fields=["rantai", "tingkat", "indeks"], name="audit_simpul_unik"),
        ]

    def __str__(self):
        return f"{self.rantai} h{self.tingkat}#{self.indeks}"


class Checkpoint(models.Model):
    """A signed tree head of one chain (C2SP tlog-checkpoint). Append-only, like the events."""

    rantai = models.CharField(max_length=40)
    ukuran = models.BigIntegerField()
    akar = models.CharField(max_length=64, help_text=_("Akar Merkle (heksadesimal)"))
    waktu = models.DateTimeField()
    teks = models.TextField(help_text=_("Teks catatan yang ditandatangani: asal, ukuran, akar base64"))
    tanda_tangan = models.CharField(max_length=100, help_text=_("Tanda tangan Ed25519 atas teks, base64"))
    id_kunci = models.CharField(max_length=8, help_text=_("ID kunci signed-note, heksadesimal"))
    kunci_publik = models.CharField(max_length=64, help_text=_("Kunci publik Ed25519 penanda tangan, base64"))

    class Meta:
        verbose_name = _("checkpoint audit")
        verbose_name_plural = _("checkpoint audit")
        ordering = ["rantai", "ukuran"]
        constraints = [models.UniqueConstraint(fields=["rantai", "ukuran"], name="audit_checkpoint_unik")]

    def __str__(self):
        return f"{self.rantai} @{self.ukuran}"


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

    class Meta:
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
    kontak = models.CharField(max_length=150, blank=True, help_text=_("Opsional; hanya untuk inspektorat"))
    bukti = models.FileField(upload_to="pengaduan/", max_length=200, blank=True)
    bukti_jenis = models.CharField(max_length=40, blank=True)
    bukti_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DITERIMA, db_index=True)
    diterima_pada = models.DateTimeField()
    tenggat_tanggapan = models.DateTimeField()
    tenggat_selesai = models.DateTimeField()
    ditanggapi_pada = models.DateTimeField(null=True, blank=True)
    diselesaikan_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
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
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
        ordering = ["pengaduan", "waktu", "id"]


class PemeriksaanRantai(models.Model):
    """The latest verification of one chain, so indicators can report chain status without re-walking it."""

    rantai = models.CharField(max_length=40, primary_key=True)
    diperiksa_pada = models.DateTimeField()
    jumlah = models.BigIntegerField()
    utuh = models.BooleanField()
    alasan = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("pemeriksaan rantai")
        verbose_name_plural = _("pemeriksaan rantai")
