"""Admin for the office calendar data. Saving or deleting a row moves open deadlines
(kelurahan/signals.py announces the change; layanan/sla.py recomputes)."""

from django.contrib import admin

from kelurahan.models import HariLibur, JamLayanan


@admin.register(JamLayanan)
class JamLayananAdmin(admin.ModelAdmin):
    list_display = ("kantor", "hari", "mulai", "selesai")
    list_filter = ("hari", "kantor__jenis")
    search_fields = ("kantor__nama",)
    list_select_related = ("kantor",)


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("tanggal", "nama", "kantor")
    list_filter = ("kantor__jenis",)
    search_fields = ("nama", "kantor__nama")
    date_hierarchy = "tanggal"
    list_select_related = ("kantor",)
