from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifikasi.models import Berhenti, Outbox, TemplatPesan
from notifikasi.relay import outbox_antrikan_ulang_gagal
from notifikasi.services import kode_templat_rahasia
from notifikasi.telepon import samarkan_hp


@admin.register(TemplatPesan)
class TemplatPesanAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "content_sid", "sms_cadangan", "aktif"]
    list_filter = ["aktif", "sms_cadangan"]
    search_fields = ["kode", "nama", "isi"]


# Variables and text are never shown as stored: a sign-in code is in them until hand-over.
TIDAK_DITAMPILKAN = ["isi", "variabel", "variabel_tersegel"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["id", "templat", "kanal", "penerima_samaran", "status", "percobaan", "kode_galat", "dibuat", "dikirim_pada"]
    list_filter = ["status", "kanal", "templat"]
    search_fields = ["provider_sid", "referensi"]
    date_hierarchy = "dibuat"
    actions = ["antrikan_ulang"]
    exclude = TIDAK_DITAMPILKAN
    readonly_fields = [f.name for f in Outbox._meta.fields if f.name not in TIDAK_DITAMPILKAN] + ["isi_aman"]

    @admin.display(description=_("isi"))
    def isi_aman(self, obj):
        if obj.templat in kode_templat_rahasia():
            return _("[rahasia: tidak ditampilkan]")
        return obj.isi

    @admin.display(description=_("penerima"))
    def penerima_samaran(self, obj):
        return samarkan_hp(obj.penerima)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Antrikan ulang pesan gagal/perlu ditinjau yang dipilih"))
    def antrikan_ulang(self, request, queryset):
        jumlah = outbox_antrikan_ulang_gagal(pesan_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("%d pesan diantrikan ulang; penyapu berkala akan mengirimnya.") % jumlah, messages.SUCCESS)


@admin.register(Berhenti)
class BerhentiAdmin(admin.ModelAdmin):
    # Only the number's blind index is kept (docs/privasi.md "Enkripsi"): the operator sees when, not who.
    list_display = ["kunci_singkat", "sejak"]

    @admin.display(description=_("indeks nomor"))
    def kunci_singkat(self, obj):
        return obj.kunci_hp[:12]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
