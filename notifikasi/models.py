"""Outbox and message templates. Knows nothing of requests: a message is a
recipient, a template and its variables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.enkripsi import IndeksButa, JsonTersegel, TeksTersegel
from notifikasi.telepon import samarkan_hp


class TemplatPesan(models.Model):
    """One kind of message. Business-initiated WhatsApp needs an approved Twilio content template."""

    kode = models.SlugField(max_length=40, unique=True)
    nama = models.CharField(max_length=120)
    isi = models.TextField(help_text=_("Teks pesan (templat Django), dipakai untuk konsol, SMS dan di dalam jendela 24 jam"))
    content_sid = models.CharField(max_length=40, blank=True, help_text=_("Twilio ContentSid (HX...) yang disetujui"))
    variabel_konten = models.JSONField(
        default=list, blank=True, help_text=_('Urutan variabel untuk ContentVariables, mis. ["nomor", "tautan"]')
    )
    sms_cadangan = models.BooleanField(default=False, help_text=_("Kirim lewat SMS bila WhatsApp gagal permanen"))
    diminta_penerima = models.BooleanField(
        default=False,
        help_text=_("Pesan yang diminta penerima sendiri saat itu (mis. kode masuk): tetap dikirim walau ia berhenti berlangganan"),
    )
    rahasia = models.BooleanField(
        default=False, help_text=_("Isi pesan dihapus dari kotak keluar setelah masa berlakunya lewat (mis. kode OTP)")
    )
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("templat pesan")
        verbose_name_plural = _("templat pesan")
        ordering = ["kode"]

    def __str__(self):
        return self.kode


TANDA_ANONIM = "_dianonimkan"


class Outbox(models.Model):
    class Kanal(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        SMS = "sms", "SMS"

    class StatusPesan(models.TextChoices):
        ANTRI = "antri", _("Antri")
        MENGIRIM = "mengirim", _("Sedang dikirim")
        TERKIRIM = "terkirim", _("Terkirim ke penyedia")
        SAMPAI = "sampai", _("Sampai")
        DIBACA = "dibaca", _("Dibaca")
        GAGAL = "gagal", _("Gagal")
        DILEWATI = "dilewati", _("Dilewati")
        TINJAU = "tinjau", _("Perlu ditinjau operator")

    penerima = TeksTersegel(max_length=16, help_text=_("E.164, tersegel"))
    # Unindexed like the number before it: only the provider lookup (transport/twilio_klien.py) reads it,
    # next to the creation time.
    penerima_indeks = IndeksButa(sumber="penerima", jenis="hp")
    kanal = models.CharField(max_length=10, choices=Kanal.choices, default=Kanal.WHATSAPP)
    templat = models.CharField(max_length=40)
    # Sealed: names, registration numbers, reasons and sign-in codes; the relay opens them only to send. The
    # retention mark stays readable so the job can skip what it already emptied.
    variabel = JsonTersegel(default=dict, blank=True, terbuka=(TANDA_ANONIM,))
    isi = TeksTersegel(help_text=_("Teks yang dirender saat pesan ditulis"))
    referensi = models.CharField(max_length=60, blank=True, help_text=_("Objek asal, mis. permohonan:12"))
    status = models.CharField(max_length=10, choices=StatusPesan.choices, default=StatusPesan.ANTRI, db_index=True)
    percobaan = models.PositiveSmallIntegerField(default=0)
    coba_lagi_pada = models.DateTimeField(null=True, blank=True, db_index=True)
    diklaim_pada = models.DateTimeField(
        null=True, blank=True, help_text=_("Saat relai mengambil pesan ini untuk dikirim (status mengirim)")
    )
    status_penyedia = models.CharField(max_length=20, blank=True, help_text=_("Status terakhir dari Twilio"))
    provider_sid = models.CharField(max_length=40, blank=True, db_index=True)
    periksa_dulu = models.BooleanField(
        default=False,
        help_text=_("Penyedia mungkin sudah menerima pesan ini: cari dulu di sana sebelum mengirim lagi"),
    )
    variabel_tersegel = models.TextField(
        blank=True, editable=False,
        help_text=_("Variabel pesan rahasia, terenkripsi, hanya untuk SMS cadangan sampai kedaluwarsa"),
    )
    kode_galat = models.CharField(max_length=20, blank=True)
    pesan_galat = models.TextField(blank=True)
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="cadangan",
        help_text=_("Pesan WhatsApp yang digantikan SMS ini"),
    )
    dibuat = models.DateTimeField(auto_now_add=True, db_index=True)
    dikirim_pada = models.DateTimeField(null=True, blank=True)
    diperbarui = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        ordering = ["-dibuat"]
        indexes = [
            models.Index(fields=["status", "coba_lagi_pada"], name="outbox_antrian_idx"),
            # "Data saya" lists the messages of a resident's requests by their reference.
            models.Index(fields=["referensi"], name="outbox_referensi_idx"),
        ]
        constraints = [
            # One provider message belongs to one row: two lookups can never adopt the same SID.
            models.UniqueConstraint(fields=["provider_sid"], condition=~models.Q(provider_sid=""), name="outbox_sid_unik"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.templat} → {samarkan_hp(self.penerima)}"

    @property
    def dianonimkan(self) -> bool:
        """Text, variables and recipient removed by retention (notifikasi/retensi.py). A mark inside
        `variabel` rather than a column: one more column would split the outbox's bulk INSERT."""
        return bool(self.variabel) and self.variabel.get(TANDA_ANONIM) is True


class KodeOTP(models.Model):
    """A one-time sign-in code. Only its hash is kept."""

    kunci = models.CharField(max_length=64, db_index=True, help_text=_("HMAC dari NIK; NIK tidak disimpan di sini"))
    no_hp = TeksTersegel(max_length=16)
    kode_hash = models.CharField(max_length=64)
    dibuat = models.DateTimeField(auto_now_add=True)
    kedaluwarsa = models.DateTimeField()
    percobaan = models.PositiveSmallIntegerField(default=0)
    dipakai = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kode OTP")
        verbose_name_plural = _("kode OTP")
        ordering = ["-dibuat"]

    def __str__(self):
        return f"OTP #{self.pk} → {samarkan_hp(self.no_hp)}"


class Berhenti(models.Model):
    """A number that replied BERHENTI/STOP: no more WhatsApp messages until it sends MULAI/START."""

    kunci_hp = models.CharField(max_length=64, primary_key=True, help_text=_("Indeks buta nomor (HMAC); nomornya tidak disimpan"))
    sejak = models.DateTimeField()

    class Meta:
        verbose_name = _("nomor berhenti berlangganan")
        verbose_name_plural = _("nomor berhenti berlangganan")
        ordering = ["-sejak"]

    def __str__(self):
        return self.kunci_hp[:12]


class SesiWhatsApp(models.Model):
    """Last inbound WhatsApp message per number: free-form Body is allowed for 24 hours after it."""

    kunci_hp = models.CharField(max_length=64, primary_key=True, help_text=_("Indeks buta nomor (HMAC); nomornya tidak disimpan"))
    terakhir_masuk = models.DateTimeField()

    class Meta:
        verbose_name = _("sesi WhatsApp")
        verbose_name_plural = _("sesi WhatsApp")

    def __str__(self):
        return self.kunci_hp[:12]


class Percakapan(models.Model):
    """The WhatsApp conversation with one number: where it stands (notifikasi/obrolan.py holds the
    transitions), what it has gathered so far, and the language the resident chose."""

    class Keadaan(models.TextChoices):
        MENU = "menu", _("Menu")
        SURVEI = "survei", _("Mengisi survei")
        LAPOR_JENIS = "lapor_jenis", _("Pengaduan: jenis")
        LAPOR_ANONIM = "lapor_anonim", _("Pengaduan: anonim atau tidak")
        LAPOR_ISI = "lapor_isi", _("Pengaduan: cerita")
        LAPOR_BUKTI = "lapor_bukti", _("Pengaduan: foto bukti")

    kunci_hp = models.CharField(max_length=64, primary_key=True, help_text=_("Indeks buta nomor (HMAC); nomornya tidak disimpan"))
    keadaan = models.CharField(max_length=16, choices=Keadaan.choices, default=Keadaan.MENU)
    konteks = JsonTersegel(default=dict, blank=True, help_text=_("Jawaban yang sedang dikumpulkan (tersegel)"))
    bahasa = models.CharField(max_length=2, default="id")
    kedaluwarsa = models.DateTimeField(null=True, blank=True, help_text=_("Setelah ini langkah yang terputus dilupakan"))
    diperbarui = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("percakapan WhatsApp")
        verbose_name_plural = _("percakapan WhatsApp")

    def __str__(self):
        return f"{self.kunci_hp[:12]} ({self.keadaan})"
