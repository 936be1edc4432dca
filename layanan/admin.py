"""Admin for the service catalogue. Every change is audited (chain "sistem")."""

from django.contrib import admin

from audit.admin_mixin import AuditAdminMixin
from layanan.surat import admin as _surat_admin  # noqa: F401  (registers Surat)
from layanan.models import Layanan, Persyaratan


class PersyaratanInline(admin.TabularInline):
    model = Persyaratan
    extra = 0
    fields = ("urutan", "kode", "nama", "unggah")


@admin.register(Layanan)
class LayananAdmin(AuditAdminMixin, admin.ModelAdmin):
    list_display = ("nama", "kode", "tingkat", "kode_klasifikasi", "sla_jam", "biaya", "aktif")
    list_filter = ("tingkat", "aktif")
    search_fields = ("nama", "kode", "perihal")
    list_editable = ("aktif",)
    inlines = [PersyaratanInline]
    # The catalogue promises "tidak dipungut biaya": the fee is not editable here.
    readonly_fields = ("biaya",)
