"""Admin for regions, offices, officers' roles and office calendars. Every change is audited.

Saving or deleting an office's hours or holidays moves open deadlines
(kelurahan/signals.py announces the change; layanan/sla.py recomputes)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixin import AuditAdminMixin
from kelurahan.models import HariLibur, JamKhusus, JamKhususHari, JamLayanan, Kantor, Penugasan, Wilayah


@admin.register(Wilayah)
class WilayahAdmin(AuditAdminMixin, admin.ModelAdmin):
    """Read-mostly: codes come from `import_wilayah`; only a name may be corrected here."""

    list_display = ("kode", "nama", "tingkat", "induk")
    list_filter = ("tingkat",)
    search_fields = ("kode", "nama")
    list_select_related = ("induk",)
    show_full_result_count = False
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        return ("kode", "tingkat", "induk") if obj is not None else ()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JamLayananInline(admin.TabularInline):
    model = JamLayanan
    extra = 0


class HariLiburInline(admin.TabularInline):
    model = HariLibur
    extra = 0


@admin.register(Kantor)
class KantorAdmin(AuditAdminMixin, admin.ModelAdmin):
    list_display = ("nama", "wilayah", "jenis", "penandatangan_nama", "telepon")
    list_filter = ("jenis",)
    search_fields = ("nama", "wilayah__kode", "wilayah__nama")
    list_select_related = ("wilayah",)
    autocomplete_fields = ("wilayah",)
    inlines = [JamLayananInline, HariLiburInline]
    fieldsets = (
        (None, {"fields": ("wilayah", "jenis", "nama")}),
        (_("Alamat dan kontak"), {"fields": ("alamat", "kode_pos", "telepon", "email", "situs")}),
        (_("Kop surat"), {"fields": ("kop_baris_1", "kop_baris_2", "logo", "kop_garuda", "format_nomor_surat")}),
        (_("Penandatangan"), {"fields": ("penandatangan_nama", "penandatangan_nip", "penandatangan_jabatan",
                                         "penandatangan_status")}),
        (_("Maklumat dan kompensasi"), {"fields": ("maklumat", "kompensasi")}),
    )


@admin.register(JamLayanan)
class JamLayananAdmin(AuditAdminMixin, admin.ModelAdmin):
    list_display = ("kantor", "hari", "mulai", "selesai")
    list_filter = ("hari", "kantor__jenis")
    search_fields = ("kantor__nama",)
    list_select_related = ("kantor",)
    autocomplete_fields = ("kantor",)


@admin.register(HariLibur)
class HariLiburAdmin(AuditAdminMixin, admin.ModelAdmin):
    list_display = ("tanggal", "nama", "kantor", "tutup_pukul")
    list_filter = ("kantor__jenis",)
    search_fields = ("nama", "kantor__nama")
    date_hierarchy = "tanggal"
    list_select_related = ("kantor",)
    autocomplete_fields = ("kantor",)


class JamKhususHariInline(admin.TabularInline):
    model = JamKhususHari
    extra = 0


@admin.register(JamKhusus)
class JamKhususAdmin(AuditAdminMixin, admin.ModelAdmin):
    """Ramadan hours (or any decreed period): dates and their own week, for the city (no office) or one office."""

    list_display = ("nama", "mulai", "selesai", "kantor", "dasar")
    list_filter = ("kantor__jenis",)
    search_fields = ("nama", "kantor__nama", "dasar")
    date_hierarchy = "mulai"
    list_select_related = ("kantor",)
    autocomplete_fields = ("kantor",)
    inlines = [JamKhususHariInline]


class PenugasanInline(admin.TabularInline):
    model = Penugasan
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("kantor",)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PetugasAdmin(AuditAdminMixin, UserAdmin):
    """Django's user admin with the officer's roles (penugasan) inline; password hashes never reach the ledger."""

    inlines = [PenugasanInline]
    actions = ["cabut_token_dan_sesi"]

    @admin.action(description=_("Cabut semua token API dan sesi web pengguna terpilih"))
    def cabut_token_dan_sesi(self, request, queryset):
        from kelurahan.sesi import cabut_semua

        jumlah = [cabut_semua(user=u, oleh=request.user) for u in queryset]
        self.message_user(request, _("%(token)d token dan %(sesi)d sesi dicabut.") % {
            "token": sum(j["token"] for j in jumlah), "sesi": sum(j["sesi"] for j in jumlah)})
