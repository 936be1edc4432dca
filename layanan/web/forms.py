"""Forms of the web pages. They check shape and tell the person what to fix;
the domain rules (scope, state, file contents) stay in layanan.permohonan.services."""

import datetime
import decimal
import re

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from layanan.models import ALFABET_REGISTRASI, Status, label_isian

REGISTRASI_RE = re.compile(rf"^[{ALFABET_REGISTRASI}]{{4}}-?[{ALFABET_REGISTRASI}]{{4,8}}$")
ACCEPT_BERKAS = "image/*,application/pdf"


def nik_periksa(nik: str) -> str:
    from django.core.exceptions import ValidationError

    from layanan.permohonan.validasi import validasi_nik

    try:
        return validasi_nik((nik or "").replace(" ", ""))["nik"]
    except ValidationError as galat:
        raise forms.ValidationError(galat.messages) from None


def hp_periksa(teks: str) -> str:
    from notifikasi.telepon import normalisasi_hp

    try:
        return normalisasi_hp(teks)
    except ValueError as galat:
        raise forms.ValidationError(str(galat), code="hp") from None


class NikField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("help_text", _("16 angka, seperti tertulis di KTP-el atau Kartu Keluarga."))
        super().__init__(max_length=20, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9 ]{16,20}"})

    def clean(self, value):
        return nik_periksa(super().clean(value))


class HpField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Nomor WhatsApp"))
        kwargs.setdefault("help_text", _("Mis. 0812 3456 7890. Kode masuk dan kabar permohonan dikirim ke nomor ini."))
        super().__init__(max_length=20, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **kwargs)

    def clean(self, value):
        return hp_periksa(super().clean(value))


class LacakForm(forms.Form):
    nomor_registrasi = forms.CharField(
        label=_("Nomor registrasi"), max_length=14, help_text=_("Mis. PB7K-Q2XM, tertera pada bukti pengajuan."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_nomor_registrasi(self):
        nomor = self.cleaned_data["nomor_registrasi"].strip().upper().replace(" ", "")
        if not REGISTRASI_RE.match(nomor):
            raise forms.ValidationError(_("Nomor registrasi tidak dikenal. Periksa kembali penulisannya."))
        if "-" not in nomor:
            nomor = f"{nomor[:4]}-{nomor[4:]}"
        return nomor


class MasukWargaForm(forms.Form):
    nik = NikField()
    no_hp = HpField()


class KodeOTPForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode masuk"), max_length=6, min_length=6,
        help_text=_("6 angka yang kami kirim lewat WhatsApp."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )

    def clean_kode(self):
        kode = self.cleaned_data["kode"].strip()
        if not kode.isdigit():
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."))
        return kode


def kelurahan_pilihan():
    """Kelurahan that have an office, grouped by kecamatan, for a <select>."""
    from kelurahan.simpanan import kelurahan_dilayani

    baris = sorted(kelurahan_dilayani().values(), key=lambda w: (w.induk.nama if w.induk else "", w.nama))
    kelompok = {}
    for wilayah in baris:
        kelompok.setdefault(wilayah.induk.nama if wilayah.induk else "", []).append((wilayah.kode, wilayah.nama))
    return [("", _("— pilih kelurahan —"))] + [(f"Kecamatan {k}", v) for k, v in kelompok.items()]


def berkas_widget(kode):
    # No capture="environment": on Android it opens the camera and hides "choose a file" (a PDF).
    return forms.ClearableFileInput(attrs={"accept": ACCEPT_BERKAS, "data-pratinjau": f"pratinjau-{kode}"})


def bantuan_berkas(simpan, bawaan) -> str:
    """A document field's help: what is kept from an earlier try (layanan.web.unggahan), else `bawaan`."""
    if not simpan:
        return bawaan
    # help_text is rendered unescaped by Django: the resident's file name is escaped here.
    return _("Sudah terunggah ✓ %(nama)s (%(kb)s KB). Pilih berkas lain hanya untuk menggantinya.") % {
        "nama": escape(simpan["nama"]), "kb": max(1, simpan["ukuran"] // 1024)}


class PermohonanForm(forms.Form):
    """One service's form: where, why, its extra fields (`data_<nama>`) and documents (`berkas_<kode>`)."""

    kelurahan = forms.ChoiceField(label=_("Kelurahan tempat Anda mengurus"))
    keperluan = forms.CharField(
        label=_("Keperluan"), max_length=255, help_text=_("Untuk apa surat ini, mis. melamar pekerjaan."),
    )

    def __init__(self, *args, layanan, tersimpan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.layanan = layanan
        self.tersimpan = tersimpan or {}  # kode -> a document kept from an earlier try (layanan.web.unggahan)
        self.fields["kelurahan"].choices = kelurahan_pilihan()
        self._nama_data = []
        for isian in layanan.formulir or []:
            if isian.get("tipe") == "daftar":
                for nama, bidang in _bidang_daftar(isian):
                    self.fields[nama] = bidang
                    self._nama_data.append(nama)
                continue
            self.fields[f"data_{isian['nama']}"] = _bidang_isian(isian)
            self._nama_data.append(f"data_{isian['nama']}")
        self.persyaratan_unggah = [p for p in layanan.persyaratan.all() if p.unggah]
        for syarat in self.persyaratan_unggah:
            simpan = self.tersimpan.get(syarat.kode)
            self.fields[f"berkas_{syarat.kode}"] = forms.FileField(
                label=syarat.nama_tampil, widget=berkas_widget(syarat.kode), required=not simpan,
                help_text=bantuan_berkas(simpan, _("Foto atau PDF, paling besar 5 MB.")),
            )

    def data_layanan(self):
        data = {}
        for isian in self.layanan.formulir or []:
            if isian.get("tipe") == "daftar":
                data[isian["nama"]] = _baris_daftar(isian, self.cleaned_data)
            else:
                data[isian["nama"]] = _nilai_json(self.cleaned_data.get(f"data_{isian['nama']}"))
        return data

    def berkas(self):
        """The documents chosen this time (a kept one fills an empty field in the view)."""
        return {s.kode: f for s in self.persyaratan_unggah if (f := self.cleaned_data.get(f"berkas_{s.kode}"))}

    def bidang_data(self):
        return [self[nama] for nama in self._nama_data]

    def bidang_berkas(self):
        return [(s, self[f"berkas_{s.kode}"], self.tersimpan.get(s.kode)) for s in self.persyaratan_unggah]

    def pasang_galat(self, galat: dict):
        """Put the service's field errors ("data.<nama>", "berkas_<kode>", ...) on this form's fields."""
        for kunci, pesan in galat.items():
            nama = kunci.replace("data.", "data_", 1) if kunci.startswith("data.") else kunci
            if nama not in self.fields and f"{nama}__1__{_kolom_pertama(self.layanan, nama)}" in self.fields:
                nama = f"{nama}__1__{_kolom_pertama(self.layanan, nama)}"  # a repeatable group: its first cell
            for satu in pesan if isinstance(pesan, list) else [pesan]:
                self.add_error(nama if nama in self.fields else None, str(satu))


def _nilai_json(nilai):
    """Form values as the service's `data` JSON expects them (validasi_isian cleans them again)."""
    if isinstance(nilai, datetime.time):
        return nilai.strftime("%H:%M")
    if isinstance(nilai, datetime.date):
        return nilai.isoformat()
    if isinstance(nilai, decimal.Decimal):
        return str(nilai)
    return nilai


BARIS_DAFTAR_DI_FORMULIR = 8  # rows offered on the web form (the API takes up to the field's "maks")


def _jumlah_baris_form(isian) -> int:
    return max(1, min(int(isian.get("maks", BARIS_DAFTAR_DI_FORMULIR) or BARIS_DAFTAR_DI_FORMULIR),
                      BARIS_DAFTAR_DI_FORMULIR))


def _bidang_daftar(isian):
    """A repeatable group as numbered rows of optional cells: `data_<nama>__<n>__<kolom>`; empty rows are dropped."""
    for nomor in range(1, _jumlah_baris_form(isian) + 1):
        for kolom in isian.get("kolom") or []:
            bidang = _bidang_isian({**kolom, "wajib": False})
            bidang.label = f"{label_isian(isian)} {nomor} — {label_isian(kolom)}"
            yield f"data_{isian['nama']}__{nomor}__{kolom['nama']}", bidang


def _baris_daftar(isian, cleaned_data) -> list:
    baris = []
    for nomor in range(1, _jumlah_baris_form(isian) + 1):
        satu = {k["nama"]: _nilai_json(cleaned_data.get(f"data_{isian['nama']}__{nomor}__{k['nama']}"))
                for k in isian.get("kolom") or []}
        if any(v not in (None, "") for v in satu.values()):
            baris.append({k: v for k, v in satu.items() if v not in (None, "")})
    return baris


def _kolom_pertama(layanan, nama_data: str) -> str:
    for isian in layanan.formulir or []:
        if f"data_{isian['nama']}" == nama_data and isian.get("kolom"):
            return isian["kolom"][0]["nama"]
    return ""


def _bidang_isian(isian):
    tipe = isian.get("tipe", "teks")
    umum = {"label": label_isian(isian), "required": bool(isian.get("wajib"))}
    if tipe == "angka":
        # RT/RW (zero-padded digits) and rupiah are whole numbers: the phone's digit pad, not the decimal one.
        bulat = bool(isian.get("digit")) or isian.get("format") == "rupiah"
        return forms.DecimalField(**umum, widget=forms.NumberInput(attrs={"inputmode": "numeric" if bulat else "decimal"}))
    if tipe == "tanggal":
        return forms.DateField(**umum, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    if tipe == "jam":
        return forms.TimeField(**umum, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    if tipe == "pilihan":
        pilihan = [("", _("— pilih —"))] + [(p, p) for p in isian.get("pilihan", [])]
        return forms.ChoiceField(**umum, choices=pilihan)
    return forms.CharField(**umum, max_length=255)


class DataDiriForm(forms.Form):
    """The identity printed on the letter; prefilled from the resident's last request."""

    nama = forms.CharField(label=_("Nama lengkap"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    tempat_lahir = forms.CharField(label=_("Tempat lahir"), max_length=60, required=False)
    agama = forms.CharField(label=_("Agama"), max_length=20, required=False)
    pekerjaan = forms.CharField(label=_("Pekerjaan"), max_length=60, required=False)
    status_perkawinan = forms.ChoiceField(
        label=_("Status perkawinan"), required=False,
        choices=[("", _("— pilih —")), ("Belum kawin", _("Belum kawin")), ("Kawin", _("Kawin")),
                 ("Cerai hidup", _("Cerai hidup")), ("Cerai mati", _("Cerai mati"))],
    )
    alamat = forms.CharField(label=_("Alamat"), max_length=255, help_text=_("Jalan, nomor, RT/RW."))

    def identitas(self):
        return dict(self.cleaned_data)


class IdentitasForm(DataDiriForm):
    """A walk-in resident's identity, typed by the counter officer from the KTP-el."""

    nik = NikField()
    no_hp = HpField()
    tanggal_lahir = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", _("— pilih —")), ("L", _("Laki-laki")), ("P", _("Perempuan"))]
    )
    field_order = ["nik", "nama", "no_hp", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "agama", "pekerjaan",
                   "status_perkawinan", "alamat"]

    def clean(self):
        data = super().clean()
        nik, lahir, jk = data.get("nik"), data.get("tanggal_lahir"), data.get("jenis_kelamin")
        if nik and lahir and jk:
            from django.core.exceptions import ValidationError

            from layanan.permohonan.validasi import validasi_nik

            try:
                info = validasi_nik(nik, tanggal_lahir=lahir)
            except ValidationError as galat:
                self.add_error("tanggal_lahir", galat.messages)
            else:
                if info["jenis_kelamin"] != jk:
                    self.add_error("nik", _("NIK tidak cocok dengan tanggal lahir dan jenis kelamin."))
        return data

    def identitas(self):
        data = dict(self.cleaned_data)
        data["tanggal_lahir"] = data["tanggal_lahir"].isoformat()
        return data


class AlasanForm(forms.Form):
    catatan = forms.CharField(
        label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Alasan wajib diisi.")},
        help_text=_("Warga akan membaca alasan ini. Tulis dengan jelas apa yang harus diperbaiki."),
    )


class PassphraseForm(forms.Form):
    """The signer's BSrE passphrase, typed at the moment of signing: never re-rendered, never stored."""

    passphrase = forms.CharField(
        label=_("Passphrase TTE"), max_length=200, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "autofocus": True, "id": "passphrase"}),
        error_messages={"required": _("Masukkan passphrase TTE Anda untuk menandatangani surat.")},
        help_text=_("Passphrase sertifikat elektronik Anda di BSrE. Tidak disimpan oleh aplikasi."),
    )


class PerbaikanForm(forms.Form):
    """Replacement documents for a request sent back for correction; none is required. Those accepted on an
    earlier try that failed are kept (`tersimpan`, layanan.web.unggahan) and said so."""

    def __init__(self, *args, permohonan, tersimpan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.persyaratan_unggah = [p for p in permohonan.layanan.persyaratan.all() if p.unggah]
        for syarat in self.persyaratan_unggah:
            self.fields[f"berkas_{syarat.kode}"] = forms.FileField(
                label=syarat.nama, required=False, widget=berkas_widget(syarat.kode),
                help_text=bantuan_berkas((tersimpan or {}).get(syarat.kode),
                                         _("Kosongkan bila berkas lama sudah benar.")),
            )
        self.tersimpan = tersimpan or {}

    def bidang_berkas(self):
        """(field, kode, kept from an earlier try) for the template."""
        return [(self[f"berkas_{s.kode}"], s.kode, s.kode in self.tersimpan) for s in self.persyaratan_unggah]

    def berkas(self):
        return {s.kode: f for s in self.persyaratan_unggah if (f := self.cleaned_data.get(f"berkas_{s.kode}"))}


SLA_PILIHAN = [("", _("Semua")), ("aman", _("Aman")), ("rawan", _("Rawan")), ("terlambat", _("Terlambat"))]


class SaringForm(forms.Form):
    """The worklist's filter; its cleaned values travel in the URL (request page, after an action)."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("aksi", _("Perlu tindakan saya")), ("", _("Semua")), *Status.choices])
    layanan = forms.ChoiceField(label=_("Layanan"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    sla = forms.ChoiceField(label=_("Waktu layanan"), required=False, choices=SLA_PILIHAN)
    q = forms.CharField(label=_("Cari nomor, nama atau NIK"), required=False, max_length=80,
                        widget=forms.TextInput(attrs={"accesskey": "k"}))

    def __init__(self, *args, layanan_pilihan, kelurahan_pilihan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layanan"].choices = [("", _("Semua"))] + list(layanan_pilihan)
        self.fields["kelurahan"].choices = [("", _("Semua"))] + list(kelurahan_pilihan)

    def bidang_polos(self) -> list[dict]:
        """The fields as plain values for templates/petugas/daftar.html, which writes the <select>s itself:
        Django's widget templates cost about 8 ms per desk page (docs/benchmarks.md)."""
        hasil = []
        for nama, field in self.fields.items():
            nilai = str(self.data.get(nama, "") or "") if self.is_bound else ""
            pilihan = None
            if isinstance(field, forms.ChoiceField):
                pilihan = [(str(v), t, str(v) == nilai) for v, t in field.choices]
            hasil.append({"nama": nama, "label": field.label, "nilai": nilai, "pilihan": pilihan,
                          "atribut": sorted(field.widget.attrs.items()),  # maxlength, accesskey...
                          "galat": self.errors.get(nama, []) if self.is_bound else []})
        return hasil

    def saring(self) -> dict:
        """The filter as keyword arguments for the selectors (empty values dropped)."""
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}

class PrivasiForm(forms.Form):
    """Acceptance of the privacy notice shown above it (docs/privasi.md). Required where the notice in force
    has not been accepted yet; at the counter the clerk ticks it after reading the notice to the resident."""

    setuju_privasi = forms.BooleanField(
        label=_("Saya sudah membaca pemberitahuan privasi di atas dan menyetujuinya."), required=False)

    def __init__(self, *args, wajib=True, loket=False, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields["setuju_privasi"]
        f.required = wajib
        if loket:
            f.label = _("Pemberitahuan privasi sudah diberikan/dibacakan kepada pemohon dan pemohon menyetujuinya "
                        "(wajib bila pemohon belum pernah menyetujuinya).")
        if wajib:
            f.error_messages["required"] = _("Baca pemberitahuan privasi dan nyatakan setuju sebelum mengajukan.")


class KoreksiForm(forms.Form):
    """A resident's correction request: only the fields to change are filled in."""

    kelurahan = forms.ChoiceField(label=_("Kelurahan yang memeriksa"))
    nama = forms.CharField(label=_("Nama lengkap"), max_length=120, required=False)
    tempat_lahir = forms.CharField(label=_("Tempat lahir"), max_length=60, required=False)
    agama = forms.CharField(label=_("Agama"), max_length=20, required=False)
    pekerjaan = forms.CharField(label=_("Pekerjaan"), max_length=60, required=False)
    status_perkawinan = forms.CharField(label=_("Status perkawinan"), max_length=20, required=False)
    alamat = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    alasan = forms.CharField(label=_("Keterangan"), max_length=255, required=False,
                             help_text=_("Mis. salah ketik; bawa KTP-el atau KK bila diminta petugas."))

    def __init__(self, *args, kelurahan=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = list(kelurahan)

    def perubahan(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("kelurahan", "alasan") and v}


class KeputusanKoreksiForm(forms.Form):
    catatan = forms.CharField(label=_("Alasan penolakan"), max_length=255, required=False)
