"""Regions, offices, officers and office calendars.

This app knows nothing of requests: it answers "where", "who" and "when is
the office open".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.enkripsi import TeksTersegel


class Wilayah(models.Model):
    """A Kemendagri region. The code is the key, so foreign keys hold the code itself."""

    class Tingkat(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABKOTA = 2, _("Kabupaten/Kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA = 4, _("Desa/Kelurahan")

    kode = models.CharField(max_length=13, primary_key=True)
    nama = models.CharField(max_length=120)
    tingkat = models.PositiveSmallIntegerField(choices=Tingkat.choices, db_index=True)
    induk = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak")

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    @property
    def is_kelurahan(self):
        # Kemendagri: the last part starts with 1 for kelurahan, 2 for desa.
        return self.tingkat == self.Tingkat.DESA and self.kode.rsplit(".", 1)[-1].startswith("1")

    @staticmethod
    def tingkat_dari_kode(kode):
        return kode.count(".") + 1


class Kantor(models.Model):
    """An office that serves a region: kantor kelurahan or kantor kecamatan (or the kota's inspectorate)."""

    class Jenis(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kantor Kelurahan")
        KECAMATAN = "kecamatan", _("Kantor Kecamatan")
        KOTA = "kota", _("Pemerintah Kota/Kabupaten")

    wilayah = models.OneToOneField(Wilayah, on_delete=models.PROTECT, related_name="kantor")
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    nama = models.CharField(max_length=150, help_text=_("mis. Kantor Kelurahan Medono"))
    alamat = models.CharField(max_length=255, blank=True)
    kode_pos = models.CharField(max_length=5, blank=True)
    telepon = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    situs = models.CharField(max_length=120, blank=True)
    kop_baris_1 = models.CharField(max_length=150, blank=True, help_text=_("mis. PEMERINTAH KOTA PEKALONGAN"))
    kop_baris_2 = models.CharField(max_length=150, blank=True, help_text=_("mis. KECAMATAN PEKALONGAN BARAT"))
    logo = models.ImageField(
        upload_to="logo/", blank=True,
        help_text=_("Lambang kota/kabupaten (atau Garuda) pada kop surat; PNG, JPEG atau SVG"),
    )
    kop_garuda = models.BooleanField(
        default=False,
        help_text=_("Kop bergaya lambang negara: logo (Garuda) di tengah atas, teks di bawahnya; "
                    "tanpa centang logo di kiri teks"),
    )
    # Who heads the office and how its letters are signed by default; the signing officer's own
# assignment (Penugasan.kedudukan) decides the signature block when it says more.
    penandatangan_nama = models.CharField(max_length=120, blank=True)
    penandatangan_nip = models.CharField(max_length=21, blank=True)
    penandatangan_jabatan = models.CharField(max_length=80, blank=True, help_text=_("mis. LURAH MEDONO"))
    penandatangan_status = models.CharField(
        max_length=5,
        blank=True,
        choices=[("", _("definitif")), ("an", _("a.n. (atas nama)")), ("plt", _("Plt.")), ("plh", _("Plh."))],
    )
    maklumat = models.TextField(blank=True, help_text=_("Maklumat pelayanan yang dipublikasikan"))
    kompensasi = models.TextField(
        blank=True,
        help_text=_("Kompensasi bila standar waktu pelayanan tidak terpenuhi, seperti dijanjikan maklumat"),
    )
    format_nomor_surat = models.CharField(
        max_length=80,
        default="{klasifikasi}/{urut:04d}/{kode_wilayah}/{bulan_romawi}/{tahun}",
        help_text=_("Bidang: klasifikasi, urut, kode_wilayah, bulan_romawi, bulan, tahun"),
    )

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")
        ordering = ["wilayah_id"]

    def __str__(self):
        return self.nama


class Peran(models.TextChoices):
    WARGA = "warga", _("Warga")
    PETUGAS_KELURAHAN = "petugas_kelurahan", _("Petugas kelurahan")
    LURAH = "lurah", _("Lurah")
    PETUGAS_KECAMATAN = "petugas_kecamatan", _("Petugas kecamatan")
    CAMAT = "camat", _("Camat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    ADMIN = "admin", _("Admin")


PERAN_KELURAHAN = {Peran.PETUGAS_KELURAHAN, Peran.LURAH}
PERAN_KECAMATAN = {Peran.PETUGAS_KECAMATAN, Peran.CAMAT}


KEDUDUKAN = [("", _("mengikuti pengaturan kantor")), ("def", _("definitif (kepala kantor)")),
             ("an", _("a.n. (atas nama kepala)")), ("plt", _("Plt. (pelaksana tugas)")),
             ("plh", _("Plh. (pelaksana harian)"))]


class Penugasan(models.Model):
    """One role of one officer at one office. An officer may hold several (e.g. Plt.)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="penugasan")
    peran = models.CharField(max_length=20, choices=[c for c in Peran.choices if c[0] != Peran.WARGA])
    kantor = models.ForeignKey(Kantor, on_delete=models.PROTECT, related_name="penugasan")
    nip = models.CharField(max_length=21, blank=True)
    jabatan = models.CharField(max_length=80, blank=True)
    kedudukan = models.CharField(
        max_length=5,
        blank=True,
        choices=KEDUDUKAN,
        help_text=_("Bagaimana petugas ini menandatangani surat: sebagai kepala (definitif), atas nama kepala "
                    "(a.n.), pelaksana tugas (Plt.) atau pelaksana harian (Plh.)"),
    )
    no_hp = TeksTersegel(
        max_length=16, blank=True, help_text=_("WhatsApp dinas, E.164; untuk peringatan tenggat (SLA)")
    )
    nik_tte = TeksTersegel(
        "NIK TTE", max_length=16, blank=True,
        help_text=_("NIK penandatangan yang terdaftar di penyelenggara sertifikasi elektronik (BSrE); "
                    "wajib bagi penandatangan bila SURAT_TTE=bsre"),
    )
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("penugasan petugas")
        verbose_name_plural = _("penugasan petugas")
        constraints = [models.UniqueConstraint(fields=["user", "peran", "kantor"], name="penugasan_unik")]

    def __str__(self):
        return f"{self.user} — {self.get_peran_display()} {self.kantor}"

    @property
    def wilayah_kode(self):
        return self.kantor.wilayah_id


class IntervalMingguan(models.Model):
    """One opening interval on one weekday; a break is two intervals."""

    hari = models.PositiveSmallIntegerField(
        choices=[(0, _("Senin")), (1, _("Selasa")), (2, _("Rabu")), (3, _("Kamis")), (4, _("Jumat")),
                 (5, _("Sabtu")), (6, _("Minggu"))]
    )
    mulai = models.TimeField()
    selesai = models.TimeField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_hari_display()} {self.mulai:%H.%M}–{self.selesai:%H.%M}"


class JamLayanan(IntervalMingguan):
    """The office's usual week."""

    kantor = models.ForeignKey(Kantor, on_delete=models.CASCADE, related_name="jam_layanan")

    class Meta:
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        ordering = ["kantor", "hari", "mulai"]


class HariLibur(models.Model):
    """A local holiday or closure. `kantor` empty means every office in the deployment.

    With `tutup_pukul` set it is a half-day closure: the office works that date only until that time
    (e.g. closing at 12.00 for a city event); empty closes the whole day."""

    kantor = models.ForeignKey(Kantor, null=True, blank=True, on_delete=models.CASCADE, related_name="hari_libur")
    tanggal = models.DateField(db_index=True)
    nama = models.CharField(max_length=120)
    tutup_pukul = models.TimeField(
        null=True, blank=True, help_text=_("Isi untuk tutup setengah hari: kantor tutup mulai pukul ini")
    )

    class Meta:
        verbose_name = _("hari libur lokal")
        verbose_name_plural = _("hari libur lokal")
        ordering = ["tanggal"]

    def __str__(self):
        return f"{self.tanggal} {self.nama}"


class JamKhusus(models.Model):
    """A dated period with its own weekly hours: the Ramadan hours the yearly MenPANRB circular sets
    (e.g. SE MenPANRB on working hours in Ramadan: 32.5 hours a week), or any other decreed schedule.
    `kantor` empty means every office in the deployment (the city); an office's own period wins over it.
    Its JamKhususHari rows replace the office's week for every date from `mulai` to `selesai`; a weekday
    without rows is closed. Holidays still close the day."""

    kantor = models.ForeignKey(Kantor, null=True, blank=True, on_delete=models.CASCADE, related_name="jam_khusus")
    nama = models.CharField(max_length=120, help_text=_("mis. Jam kerja bulan Ramadan 1448 H"))
    mulai = models.DateField()
    selesai = models.DateField(help_text=_("Termasuk tanggal ini"))
    dasar = models.CharField(max_length=200, blank=True, help_text=_("mis. nomor Surat Edaran MenPANRB"))

    class Meta:
        verbose_name = _("jam kerja khusus (Ramadan)")
        verbose_name_plural = _("jam kerja khusus (Ramadan)")
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(condition=models.Q(selesai__gte=models.F("mulai")), name="jam_khusus_urut"),
        ]

    def __str__(self):
        return f"{self.nama} ({self.mulai}–{self.selesai})"


class JamKhususHari(IntervalMingguan):
    """The week of a JamKhusus period."""

    periode = models.ForeignKey(JamKhusus, on_delete=models.CASCADE, related_name="jam")

    class Meta:
        verbose_name = _("jam layanan khusus")
        verbose_name_plural = _("jam layanan khusus")
        ordering = ["periode", "hari", "mulai"]
