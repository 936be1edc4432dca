"""Admin for the service catalogue. Every change is audited (chain "sistem").

A service's letter template is checked when saved (a syntax error is refused
with its line), kept as a new version, and can be previewed with sample data
before any resident's letter uses it.
"""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.admin_mixin import AuditAdminMixin
from kelurahan.models import Kantor
from layanan.models import Layanan, Persyaratan
from layanan.surat import admin as _surat_admin  # noqa: F401  (registers Surat)
from layanan.surat.terbit import templat_catat_versi


class PersyaratanInline(admin.TabularInline):
    model = Persyaratan
    extra = 0
    fields = ("urutan", "kode", "nama", "nama_en", "unggah")


@admin.register(Layanan)
class LayananAdmin(AuditAdminMixin, admin.ModelAdmin):
    list_display = ("nama", "kode", "tingkat", "kode_klasifikasi", "sla_jam", "biaya", "aktif")
    list_filter = ("tingkat", "aktif")
    search_fields = ("nama", "kode", "perihal")
    list_editable = ("aktif",)
    inlines = [PersyaratanInline]
    # The catalogue promises "tidak dipungut biaya": the fee is not editable here.
    readonly_fields = ("biaya", "templat_versi", "pratinjau", "riwayat_templat")

    @admin.display(description=gettext_lazy("Riwayat templat surat"))
    def riwayat_templat(self, obj):
        """Earlier versions, newest first: what each issued letter (Surat.templat_versi) was rendered from."""
        if obj is None or obj.pk is None:
            return "—"
        versi = list(obj.templat_riwayat.all()[:20])
        if not versi:
            return "—"
        return format_html_join(
            "", "<details><summary>v{} · {} · {}</summary><pre>{}</pre></details>",
            ((v.versi, v.dibuat_pada.strftime("%Y-%m-%d %H:%M"), v.dibuat_oleh or "—", v.isi) for v in versi),
        )

    @admin.display(description=gettext_lazy("Pratinjau surat"))
    def pratinjau(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>',
                           reverse("admin:layanan_layanan_pratinjau", args=[obj.pk]),
                           _("Buka surat contoh (PDF, data contoh, tanpa nomor)"))

    def get_urls(self):
        return [path("<int:pk>/pratinjau-surat/", self.admin_site.admin_view(self.pratinjau_surat),
                     name="layanan_layanan_pratinjau")] + super().get_urls()

    def pratinjau_surat(self, request, pk):
        """The saved template rendered with sample data by the first office that signs this service."""
        from layanan.surat.terbit import surat_pratinjau_pdf

        layanan = get_object_or_404(Layanan, pk=pk)
        if not self.has_view_permission(request, layanan):
            return HttpResponse(status=403)
        jenis = Kantor.Jenis.KECAMATAN if layanan.tingkat == Layanan.Tingkat.KECAMATAN else Kantor.Jenis.KELURAHAN
        kantor = Kantor.objects.filter(jenis=jenis).select_related("wilayah").order_by("wilayah_id").first()
        if kantor is None:
            self.message_user(request, _("Belum ada kantor untuk pratinjau."), messages.ERROR)
            return HttpResponse(_("Belum ada kantor untuk pratinjau."), status=409, content_type="text/plain")
        pdf, templat = surat_pratinjau_pdf(layanan=layanan, kantor=kantor)
        jawab = HttpResponse(pdf, content_type="application/pdf")
        jawab["Content-Disposition"] = f'inline; filename="pratinjau-{layanan.kode}.pdf"'
        jawab["X-Simpatik-Templat"] = "cadangan" if templat["cadangan"] else str(templat["versi"] or "bawaan")
        jawab["Cache-Control"] = "no-store"
        return jawab

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "templat_surat" in form.changed_data:
            templat_catat_versi(layanan=obj, oleh=request.user)
