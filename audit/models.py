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
        RETENSI = "retensi", _("Retensi data pribadi")

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

    def __str__(self):
        return f"{self.rantai}: {'utuh' if self.utuh else 'rusak'} ({self.diperiksa_pada:%Y-%m-%d %H:%M})"


