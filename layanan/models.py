"""Service catalogue, residents, requests (permohonan) and their state machine,
uploaded documents and issued letters."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from audit.enkripsi import IndeksButa, JsonTersegel, TanggalTersegel, TeksTersegel
from kelurahan.models import Kantor, Wilayah
from layanan.surat.templat import templat_surat_periksa

# No 0/O, 1/I/L: the number is read aloud over the phone and typed from paper.
ALFABET_REGISTRASI = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _bahasa_inggris() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def label_isian(isian: dict) -> str:
    """A form field's label in the active language (`label_en` on the English site when the catalogue has it)."""
    if _bahasa_inggris() and isian.get("label_en"):
        return isian["label_en"]
    return isian.get("label") or isian.get("nama", "")


def buat_nomor_registrasi():
    """8 random symbols from a 31-letter alphabet (~8.5e11 values), shown as XXXX-XXXX."""
    acak = "".join(secrets.choice(ALFABET_REGISTRASI) for _ in range(8))
    return f"{acak[:4]}-{acak[4:]}"


class Layanan(models.Model):
    """One service of the catalogue, as its published standar pelayanan says."""

    class Tingkat(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kelurahan")
        KECAMATAN = "kecamatan", _("Kecamatan")

    kode = models.SlugField(max_length=40, unique=True)
    nama = models.CharField(max_length=150)
    nama_en = models.CharField(max_length=150, blank=True, help_text=_("Nama dalam bahasa Inggris (situs berbahasa Inggris)"))
    tingkat = models.CharField(max_length=10, choices=Tingkat.choices)
    deskripsi = models.TextField(blank=True)
    deskripsi_en = models.TextField(blank=True, help_text=_("Deskripsi dalam bahasa Inggris"))
    perihal = models.CharField(max_length=150, blank=True, help_text=_("Judul pada surat, mis. SURAT KETERANGAN DOMISILI"))
    kode_klasifikasi = models.CharField(
        max_length=20, help_text=_("Klasifikasi arsip Permendagri 83/2022, mis. 400.12.2.1")
    )
    sla_jam = models.DecimalField(
        max_digits=6, decimal_places=2, help_text=_("Standar waktu penyelesaian seluruhnya, dalam jam kerja")
    )
    sla_jam_kelurahan = models.DecimalField(max_digits=6, decimal_places=2, help_text=_("Bagian tahap kelurahan"))
    sla_jam_kecamatan = models.DecimalField(
        max_digits=6, decimal_places=2, default=0, help_text=_("Bagian tahap kecamatan (0 untuk layanan kelurahan)")
    )
    biaya = models.PositiveIntegerField(default=0, help_text=_("Selalu 0: tidak dipungut biaya"))
    formulir = models.JSONField(
        default=list,
        blank=True,
        help_text=_('Isian tambahan: [{"nama", "label", "label_en", "tipe": teks|angka|tanggal|jam|pilihan|daftar, '
                    '"wajib", "pilihan", "kolom" (untuk daftar)}]; lihat docs/surat.md'),
    )
    dasar_hukum = models.TextField(blank=True)
    templat_surat = models.TextField(
        blank=True, validators=[templat_surat_periksa],
        help_text=_("Isi surat (templat Django); kosong memakai templat bawaan layanan ini. Diperiksa saat disimpan."),
    )
    templat_versi = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Versi templat kantor yang berlaku; 0 = belum pernah diubah")
    )
    aktif = models.BooleanField(default=True)
    urutan = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama

    @property
    def nama_tampil(self) -> str:
        """The service's name in the active language (the letter itself stays Indonesian)."""
        return self.nama_en if _bahasa_inggris() and self.nama_en else self.nama

    @property
    def deskripsi_tampil(self) -> str:
        return self.deskripsi_en if _bahasa_inggris() and self.deskripsi_en else self.deskripsi


class Persyaratan(models.Model):
    layanan = models.ForeignKey(Layanan, on_delete=models.CASCADE, related_name="persyaratan")
    kode = models.SlugField(max_length=40)
    nama = models.CharField(max_length=200)
    nama_en = models.CharField(max_length=200, blank=True, help_text=_("Nama dalam bahasa Inggris"))
    unggah = models.BooleanField(default=True, help_text=_("Harus diunggah sebagai berkas"))
    urutan = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        ordering = ["layanan", "urutan", "id"]
        constraints = [models.UniqueConstraint(fields=["layanan", "kode"], name="persyaratan_kode_unik")]

    def __str__(self):
        return self.nama

    @property
    def nama_tampil(self) -> str:
        return self.nama_en if _bahasa_inggris() and self.nama_en else self.nama


class Warga(models.Model):
    """A resident. Signs in with NIK and a one-time code; the user row only carries the API token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warga")
    # Sealed (audit/enkripsi.py); found through the blind indexes, never by value.
    nik = TeksTersegel(max_length=16)
    nik_indeks = IndeksButa(sumber="nik", jenis="nik", unique=True)
    # The profile is sealed too: read with the row, never filtered or ordered by in the database.
    nama = TeksTersegel(max_length=120, blank=True)
    no_hp = TeksTersegel(max_length=16, help_text=_("E.164, mis. +6281234567890"))
    no_hp_indeks = IndeksButa(sumber="no_hp", jenis="hp", db_index=True)
    jenis_kelamin = models.CharField(max_length=1, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))])
    tanggal_lahir = TanggalTersegel(null=True, blank=True)
    tempat_lahir = TeksTersegel(max_length=60, blank=True)
    agama = models.CharField(max_length=20, blank=True)
    pekerjaan = models.CharField(max_length=60, blank=True)
    status_perkawinan = models.CharField(max_length=20, blank=True)
    alamat = TeksTersegel(max_length=255, blank=True)
    whatsapp_aktif = models.BooleanField(default=True, help_text=_("False setelah warga membalas BERHENTI"))
    dibuat = models.DateTimeField(auto_now_add=True)
    # The latest privacy notice accepted (PersetujuanPrivasi keeps every acceptance); read with the row the
    # submission loads anyway, so checking it costs no query.
    privasi_versi = models.CharField(max_length=40, blank=True, help_text=_("Versi pemberitahuan privasi yang disetujui"))
    privasi_disetujui_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("warga")
        verbose_name_plural = _("warga")

    def __str__(self):
        from layanan.permohonan.privasi import samarkan_nik

        return f"{samarkan_nik(self.nik)} {self.nama}"

    def save(self, *args, update_fields=None, **kwargs):
        # A save naming a sealed field also rewrites its blind index (IndeksButa.pre_save fills it).
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {f"{f}_indeks" for f in ("nik", "no_hp") if f in update_fields}
        super().save(*args, update_fields=update_fields, **kwargs)


class Status(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DITERUSKAN_KECAMATAN = "diteruskan_kecamatan", _("Diteruskan ke kecamatan")
    DIVERIFIKASI_KECAMATAN = "diverifikasi_kecamatan", _("Diverifikasi kecamatan")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")
    DIBATALKAN = "dibatalkan", _("Dibatalkan")


STATUS_TERBUKA = [
    Status.DIAJUKAN,
    Status.PERLU_PERBAIKAN,
    Status.DIVERIFIKASI,
    Status.DITERUSKAN_KECAMATAN,
    Status.DIVERIFIKASI_KECAMATAN,
]
STATUS_AKHIR = [Status.SELESAI, Status.DITOLAK, Status.DIBATALKAN]
# Open states in which the SLA clock runs (perlu_perbaikan waits for the resident: paused).
STATUS_BERJALAN = [s for s in STATUS_TERBUKA if s != Status.PERLU_PERBAIKAN]


class Permohonan(models.Model):
    class Kanal(models.TextChoices):
        ONLINE = "online", _("Daring")
        LOKET = "loket", _("Loket")

    # Unique through Meta.constraints: a unique field would also get a LIKE index nothing uses.
    nomor_registrasi = models.CharField(max_length=12, default=buat_nomor_registrasi, editable=False)
    layanan = models.ForeignKey(Layanan, on_delete=models.PROTECT, related_name="permohonan")
    kelurahan = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    # permohonan_kec_idx leads with kecamatan: a second index on it alone would only cost writes.
    kecamatan = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+", db_index=False)
    pemohon = models.ForeignKey(Warga, on_delete=models.PROTECT, related_name="permohonan")
    # Sealed whole; the officers' search by name reads the word index of "nama" (docs/privasi.md "Enkripsi").
    identitas = JsonTersegel(default=dict, kata=("nama",), help_text=_("Data diri pemohon saat mengajukan"))
    keperluan = models.CharField(max_length=255)
    data = JsonTersegel(default=dict, blank=True, help_text=_("Isian layanan (mis. NIK anggota keluarga), tersegel"))
    kanal = models.CharField(max_length=6, choices=Kanal.choices, default=Kanal.ONLINE)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(max_length=24, choices=Status.choices, default=Status.DIAJUKAN, protected=True)
    diajukan_pada = models.DateTimeField()
    diperbarui = models.DateTimeField(auto_now=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    catatan_terakhir = models.TextField(blank=True, help_text=_("Alasan perbaikan, pengembalian atau penolakan terakhir"))
    verifikator_kelurahan = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verifikator_kecamatan = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # SLA clock (layanan/sla.py keeps these current on every transition).
    tenggat = models.DateTimeField(null=True, blank=True, help_text=_("Batas waktu standar pelayanan"))
    tenggat_rawan = models.DateTimeField(null=True, blank=True, help_text=_("Saat 75% jatah waktu terpakai"))
    sla_jatah_detik = models.PositiveIntegerField(default=0)
    sla_jatah_kelurahan_detik = models.PositiveIntegerField(
        default=0, help_text=_("Bagian tahap kelurahan dari jatah, saat diajukan")
    )
    terpakai_kelurahan_detik = models.PositiveIntegerField(default=0)
    terpakai_kecamatan_detik = models.PositiveIntegerField(default=0)
    jeda_detik = models.PositiveIntegerField(default=0, help_text=_("Waktu menunggu perbaikan oleh warga"))
    tahap_mulai = models.DateTimeField(null=True, blank=True)
    sla_tingkat_diberitahu = models.PositiveSmallIntegerField(default=0, help_text=_("0 aman, 1 rawan, 2 terlambat"))
    memenuhi_standar = models.BooleanField(null=True, blank=True)
    kompensasi = models.TextField(
        blank=True, help_text=_("Kompensasi yang dijanjikan maklumat kantor, dicatat bila standar waktu terlewati")
    )
    dianonimkan_pada = models.DateTimeField(
        null=True, blank=True, help_text=_("Data diri, isian dan berkas dihapus oleh retensi (docs/privasi.md)")
    )

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-diajukan_pada"]
        constraints = [models.UniqueConstraint(fields=["nomor_registrasi"], name="permohonan_nomor_unik")]
        indexes = [
            # Every index is written by each submission, action and sweep claim (never a HOT
            # update: status and the SLA columns are indexed), so only these, each read by a query.
            # The worklist's whole order (tenggat, diajukan_pada, pk) after the scope: a page is read in index
            # order and stops at its 25th row, even when a backlog shares one deadline (everything filed
            # overnight starts its clock at the same opening hour), instead of joining and sorting the backlog.
            models.Index(fields=["kelurahan", "status", "tenggat", "diajukan_pada", "id"], name="permohonan_kel_idx"),
            models.Index(fields=["kecamatan", "status", "tenggat", "diajukan_pada", "id"], name="permohonan_kec_idx"),
            models.Index(fields=["pemohon", "-diajukan_pada"], name="permohonan_pemohon_idx"),
            models.Index(fields=["tenggat_rawan"], name="permohonan_rawan_idx"),
            models.Index(fields=["tenggat"], name="permohonan_tenggat_idx"),
            # The SLA sweep reads only these partial indexes: rows still to be told about a
            # crossing, so its cost follows the crossings, not the open or finished requests.
            models.Index(
                fields=["tenggat_rawan"],
                condition=models.Q(status__in=STATUS_BERJALAN, sla_tingkat_diberitahu__lt=1),
                name="permohonan_sapu_rawan_idx",
            ),
            models.Index(
                fields=["tenggat"],
                condition=models.Q(status__in=STATUS_BERJALAN, sla_tingkat_diberitahu__lt=2),
                name="permohonan_sapu_lewat_idx",
            ),
        ]

    def __str__(self):
        return self.nomor_registrasi

    @property
    def tahap(self):
        """Which office's stage the request is in now."""
        if self.status in (Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN):
            return "kecamatan"
        return "kelurahan"

    # --- state machine: guards on state only; role, scope and audit live in services.py ---

    @transition(field=status, source=Status.DIAJUKAN, target=Status.DIVERIFIKASI)
    def verifikasi(self):
        pass

    @transition(field=status, source=[Status.DIAJUKAN, Status.DITERUSKAN_KECAMATAN], target=Status.PERLU_PERBAIKAN)
    def minta_perbaikan(self):
        pass

    @transition(field=status, source=Status.PERLU_PERBAIKAN, target=Status.DIAJUKAN)
    def ajukan_ulang(self):
        pass

    @transition(field=status, source=[Status.DIAJUKAN, Status.PERLU_PERBAIKAN], target=Status.DIBATALKAN)
    def batalkan(self):
        pass

    @transition(
        field=status,
        source=Status.DIVERIFIKASI,
        target=RETURN_VALUE(Status.SELESAI, Status.DITERUSKAN_KECAMATAN),
    )
    def setujui(self):
        if self.layanan.tingkat == Layanan.Tingkat.KECAMATAN:
            return Status.DITERUSKAN_KECAMATAN
        return Status.SELESAI

    @transition(field=status, source=Status.DITERUSKAN_KECAMATAN, target=Status.DIVERIFIKASI_KECAMATAN)
    def verifikasi_kecamatan(self):
        pass

    @transition(
        field=status,
        source=[Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN],
        target=Status.DIAJUKAN,
    )
    def kembalikan(self):
        pass

    @transition(field=status, source=Status.DIVERIFIKASI_KECAMATAN, target=Status.SELESAI)
    def setujui_camat(self):
        pass

    @transition(field=status, source=STATUS_TERBUKA, target=Status.DITOLAK)
    def tolak(self):
        pass


def lokasi_berkas(instance, filename):
    """Random name, grouped by month; the original name is kept in the row only."""
    from django.utils import timezone

    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.jenis, "bin")
    return f"berkas/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class Berkas(models.Model):
    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="berkas")
    persyaratan_kode = models.SlugField(max_length=40)
    berkas = models.FileField(upload_to=lokasi_berkas, max_length=200)
    nama_asli = models.CharField(max_length=200)
    jenis = models.CharField(max_length=40, help_text=_("Jenis menurut isi berkas"))
    ukuran = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    diunggah_pada = models.DateTimeField(auto_now_add=True)
    aktif = models.BooleanField(default=True, help_text=_("False bila sudah diganti saat perbaikan"))

    class Meta:
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")
        ordering = ["permohonan", "persyaratan_kode", "-diunggah_pada"]

    def __str__(self):
        return f"{self.permohonan_id}/{self.persyaratan_kode}"


class PenghitungNomorSurat(models.Model):
    """Last letter number given by one office in one year; its row lock keeps numbers gapless."""

    kantor = models.ForeignKey(Kantor, on_delete=models.PROTECT)
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kantor", "tahun"], name="penghitung_surat_unik")]

    def __str__(self):
        return f"{self.kantor_id}/{self.tahun}: {self.terakhir}"


class Surat(models.Model):
    class StatusSurat(models.TextChoices):
        BERLAKU = "berlaku", _("Berlaku")
        DICABUT = "dicabut", _("Dicabut")
        DIGANTI = "diganti", _("Diganti")

    id_publik = models.CharField(max_length=16, unique=True, editable=False, help_text=_("Acak; bagian dari token QR"))
    permohonan = models.ForeignKey(Permohonan, on_delete=models.PROTECT, related_name="surat")
    kantor = models.ForeignKey(Kantor, on_delete=models.PROTECT, related_name="surat")
    nomor = models.CharField(max_length=80, unique=True)
    tahun = models.PositiveSmallIntegerField()
    urut = models.PositiveIntegerField()
    diterbitkan_pada = models.DateTimeField()
    penandatangan = models.JSONField(default=dict, help_text=_("nama, nip, jabatan, status saat ditandatangani"))
    berkas_pdf = models.FileField(upload_to="surat/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    tanda_tangan_elektronik = models.JSONField(
        default=dict, blank=True,
        help_text=_("Sertifikat yang menandatangani PDF (PAdES): nama, subjek, penerbit; kosong bila tanpa tanda tangan"),
    )
    status = models.CharField(max_length=8, choices=StatusSurat.choices, default=StatusSurat.BERLAKU)
    dicabut_pada = models.DateTimeField(null=True, blank=True)
    alasan_cabut = models.TextField(blank=True)
    pengganti = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="digantikan"
    )
    jumlah_pindai = models.PositiveIntegerField(default=0)
    templat_versi = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Versi templat kantor yang dipakai; kosong = templat bawaan")
    )

    class Meta:
        verbose_name = _("surat")
        verbose_name_plural = _("surat")
        ordering = ["-diterbitkan_pada"]
        constraints = [models.UniqueConstraint(fields=["kantor", "tahun", "urut"], name="surat_urut_unik")]

    def __str__(self):
        return self.nomor


class TemplatSuratVersi(models.Model):
    """Every saved version of a service's letter template: a letter names the version it was rendered from."""

    layanan = models.ForeignKey(Layanan, on_delete=models.CASCADE, related_name="templat_riwayat")
    versi = models.PositiveIntegerField()
    isi = models.TextField(blank=True)
    dibuat_pada = models.DateTimeField()
    dibuat_oleh = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("versi templat surat")
        verbose_name_plural = _("versi templat surat")
        ordering = ["layanan", "-versi"]
        constraints = [models.UniqueConstraint(fields=["layanan", "versi"], name="templat_versi_unik")]

    def __str__(self):
        return f"{self.layanan_id} v{self.versi}"


class DigestHarian(models.Model):
    """The daily digest of one office for one day was written to the outbox: sending twice writes nothing."""

    kantor = models.ForeignKey("kelurahan.Kantor", on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField(help_text=_("Hari yang diringkas"))
    dibuat = models.DateTimeField()
    angka = models.JSONField(default=dict)
    penerima = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ringkasan harian")
        verbose_name_plural = _("ringkasan harian")
        constraints = [models.UniqueConstraint(fields=["kantor", "tanggal"], name="digest_kantor_tanggal_unik")]

    def __str__(self):
        return f"{self.kantor_id} {self.tanggal}"


class PenandatanganLayanan(models.Model):
    """Who signs one service's letters at one office (e.g. the sekretaris a.n. the lurah for
    certificates of residence). Without a row any signer of the office's signing role may sign."""

    kantor = models.ForeignKey("kelurahan.Kantor", on_delete=models.CASCADE, related_name="+")
    layanan = models.ForeignKey(Layanan, on_delete=models.CASCADE, related_name="+")
    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("penandatangan layanan")
        verbose_name_plural = _("penandatangan layanan")
        constraints = [models.UniqueConstraint(fields=["kantor", "layanan"], name="penandatangan_layanan_unik")]

    def __str__(self):
        return f"{self.kantor_id} {self.layanan_id}: {self.pengguna}"


class TandaTanganTertunda(models.Model):
    """A signer approved but the certified provider could not sign (down): the request keeps its
    state (DESIGN's states are fixed) and waits here, visible in the queue, until signed.

    Holds no passphrase: the signer enters it again when the provider is back."""

    permohonan = models.OneToOneField(Permohonan, on_delete=models.CASCADE, related_name="tte_tertunda")
    aksi = models.CharField(max_length=20)
    penandatangan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sejak = models.DateTimeField()
    percobaan = models.PositiveIntegerField(default=1)
    terakhir_dicoba = models.DateTimeField()
    alasan = models.CharField(max_length=40, help_text=_("Kode galat penyedia TTE"))
    dikabari_pada = models.DateTimeField(null=True, blank=True, help_text=_("Penandatangan dikabari penyedia pulih"))

    class Meta:
        verbose_name = _("tanda tangan tertunda")
        verbose_name_plural = _("tanda tangan tertunda")

    def __str__(self):
        return f"{self.permohonan_id} ({self.alasan})"


class GantiNomorLoket(models.Model):
    """A resident who lost their old number asks at the kelurahan counter for a new one: the clerk
    files it after checking the KTP-el in person, the lurah of that kelurahan approves or refuses
    (docs/operations.md "A resident's WhatsApp number"). Only an approval changes the number."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu persetujuan lurah")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")

    warga = models.ForeignKey(Warga, on_delete=models.PROTECT, related_name="ganti_nomor")
    kelurahan = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    no_hp_lama = TeksTersegel(max_length=16)
    no_hp_baru = TeksTersegel(max_length=16)
    alasan = models.CharField(max_length=255)
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diajukan_pada = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    diputuskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    catatan = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("penggantian nomor di loket")
        verbose_name_plural = _("penggantian nomor di loket")

    def __str__(self):
        return f"{self.warga_id} ({self.status})"


class PersetujuanPrivasi(models.Model):
    """One acceptance of the privacy notice: which version, its text's SHA-256, when, and through which channel
    (docs/privasi.md "Pemberitahuan"). Kept as long as the resident's account."""

    class Kanal(models.TextChoices):
        WEB = "web", _("Situs")
        API = "api", _("API")
        LOKET = "loket", _("Loket (dibacakan petugas)")

    warga = models.ForeignKey(Warga, on_delete=models.CASCADE, related_name="persetujuan_privasi")
    versi = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64, help_text=_("SHA-256 teks pemberitahuan (bahasa Indonesia) yang ditampilkan"))
    bahasa = models.CharField(max_length=5)
    kanal = models.CharField(max_length=5, choices=Kanal.choices)
    waktu = models.DateTimeField()
    petugas = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", help_text=_("Petugas loket yang menyampaikan pemberitahuan"))

    class Meta:
        verbose_name = _("persetujuan pemberitahuan privasi")
        verbose_name_plural = _("persetujuan pemberitahuan privasi")
        ordering = ["warga", "-waktu"]

    def __str__(self):
        return f"{self.warga_id} v{self.versi}"


class PermintaanKoreksi(models.Model):
    """A resident asks to correct their personal data (UU 27/2022 Pasal 6); a petugas_kelurahan of the
    kelurahan decides at the desk: accepted corrects the record, rejected keeps it with a reason."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        DITERIMA = "diterima", _("Diterima")
        DITOLAK = "ditolak", _("Ditolak")

    warga = models.ForeignKey(Warga, on_delete=models.CASCADE, related_name="koreksi")
    kelurahan = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    perubahan = JsonTersegel(default=dict, help_text=_("Kolom yang diminta diubah dan nilai barunya (tersegel)"))
    alasan = models.CharField(max_length=255, blank=True)
    diajukan_pada = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    diputuskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    catatan = models.CharField(max_length=255, blank=True, help_text=_("Alasan penolakan"))

    class Meta:
        verbose_name = _("permintaan koreksi data")
        verbose_name_plural = _("permintaan koreksi data")
        ordering = ["-diajukan_pada"]
        indexes = [models.Index(fields=["kelurahan", "status", "diajukan_pada"], name="koreksi_antrean_idx")]

    def __str__(self):
        return f"koreksi #{self.pk} ({self.status})"
