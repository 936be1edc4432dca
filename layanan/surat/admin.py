"""Admin for issued letters: read-only, scoped, with revoke and reissue actions that ask for a reason."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from layanan.models import Surat
from layanan.permohonan.galat import GalatLayanan
from layanan.permohonan.selectors import permohonan_dalam_lingkup
from layanan.surat import tte
from layanan.surat.terbit import surat_cabut, surat_terbitkan_ulang


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=gettext_lazy("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AlasanTTEForm(AlasanForm):
    """Reissuing signs a new letter: with SURAT_TTE=bsre the signer types their passphrase (never kept)."""

    passphrase = forms.CharField(
        label=gettext_lazy("Passphrase TTE"), max_length=200, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


@method_decorator(sensitive_post_parameters("passphrase"), name="changelist_view")
@admin.register(Surat)
class SuratAdmin(admin.ModelAdmin):
    list_display = ["nomor", "permohonan", "kantor", "diterbitkan_pada", "status", "jumlah_pindai"]
    list_filter = ["status", "kantor", "tahun"]
    search_fields = ["nomor", "permohonan__nomor_registrasi"]
    date_hierarchy = "diterbitkan_pada"
    actions = ["cabut", "terbitkan_ulang"]
    readonly_fields = [f.name for f in Surat._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("kantor", "permohonan")
        return qs.filter(permohonan__in=permohonan_dalam_lingkup(request.user))

    def has_add_permission(self, request):
        return False  # letters are issued by approval only

    def has_delete_permission(self, request, obj=None):
        return False  # an issued letter is revoked, never deleted

    @sensitive_variables("tambahan")
    def _dengan_alasan(self, request, queryset, *, judul, layanan, pesan_ok, ttd=False):
        """Ask for a reason (and, to sign through BSrE, the passphrase) on an intermediate page, then
        apply `layanan` to each selected letter."""
        kelas = AlasanTTEForm if ttd and tte.tte_butuh_passphrase() else AlasanForm
        form = kelas(request.POST if "terapkan" in request.POST else None)
        if form.is_bound and form.is_valid():
            tambahan = {"passphrase": form.cleaned_data["passphrase"]} if kelas is AlasanTTEForm else {}
            for surat in queryset:
                try:
                    layanan(surat=surat, oleh=request.user, alasan=form.cleaned_data["alasan"], **tambahan)
                except tte.GalatTTE as galat:  # the same passphrase would be refused for the rest too
                    self.message_user(request, f"{surat.nomor}: {galat.pesan}", messages.ERROR)
                    break
                except GalatLayanan as galat:
                    self.message_user(request, f"{surat.nomor}: {galat.pesan}", messages.ERROR)
                else:
                    self.message_user(request, pesan_ok % {"nomor": surat.nomor}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/layanan/surat/alasan.html", {
            **self.admin_site.each_context(request),
            "title": judul,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "aksi": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description=gettext_lazy("Cabut surat terpilih"))
    def cabut(self, request, queryset):
        return self._dengan_alasan(request, queryset, judul=_("Cabut surat"), layanan=surat_cabut,
                                   pesan_ok=_("Surat %(nomor)s dicabut."))

    @admin.action(description=gettext_lazy("Terbitkan ulang surat terpilih (nomor baru)"))
    def terbitkan_ulang(self, request, queryset):
        return self._dengan_alasan(request, queryset, judul=_("Terbitkan ulang surat"), layanan=surat_terbitkan_ulang,
                                   pesan_ok=_("Surat %(nomor)s diganti dengan surat baru."), ttd=True)
