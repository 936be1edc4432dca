"""Forms of the complaint pages: shape only; the services check content and their messages land on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.models import Pengaduan
from layanan.web.forms import kelurahan_pilihan


class PengaduanForm(forms.Form):
    """The public complaint form. Only shape here: integritas.services.pengaduan_buat checks the
    content (length, category, the evidence file by its bytes) and its messages land on these fields."""

    kategori = forms.ChoiceField(label=_("Apa yang Anda laporkan?"), widget=forms.RadioSelect, required=False)
    isi = forms.CharField(
        label=_("Ceritakan kejadiannya"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kapan, di mana, siapa, dan berapa yang diminta bila ada. Jangan tulis NIK Anda."),
    )
    nomor_registrasi = forms.CharField(
        label=_("Nomor registrasi permohonan (bila ada)"), required=False, max_length=14,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan yang Anda laporkan (bila tahu)"), required=False)
    kontak = forms.CharField(
        label=_("Kontak Anda (boleh dikosongkan)"), required=False, max_length=150,
        help_text=_("Hanya dibaca inspektorat, tidak pernah oleh kantor yang Anda laporkan."),
    )
    bukti = forms.FileField(
        label=_("Bukti (foto atau PDF, bila ada)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategori"].choices = Pengaduan.Kategori.choices
        pilihan = kelurahan_pilihan()
        self.fields["kelurahan"].choices = [("", _("— tidak tahu / tidak disebut —")), *pilihan[1:]]

    def pasang_galat(self, galat: dict):
        for kunci, pesan in galat.items():
            self.add_error(kunci if kunci in self.fields else None, [str(p) for p in pesan])


class StatusPengaduanForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"))
    catatan = forms.CharField(
        label=_("Catatan untuk pengadu"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tampil pada halaman status pengaduan. Wajib saat menyelesaikan atau menutup."),
    )

    def __init__(self, *args, pilihan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = pilihan
