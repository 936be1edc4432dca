"""Message templates of the SLA sweep (officers are told when a request turns rawan or terlambat)."""

from django.db import migrations

from notifikasi.templat_bawaan import pasang_templat_bawaan

KODE = ["sla_rawan", "sla_terlambat"]


def buat(apps, schema_editor):
    pasang_templat_bawaan(apps.get_model("notifikasi", "TemplatPesan"))


def hapus(apps, schema_editor):
    apps.get_model("notifikasi", "TemplatPesan").objects.filter(kode__in=KODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0002_sla_kompensasi_indeks_sapu"),
        ("notifikasi", "0004_templat_pesan_awal"),
    ]

    operations = [migrations.RunPython(buat, hapus)]
