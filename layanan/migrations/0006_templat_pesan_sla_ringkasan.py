"""Summary templates of the SLA sweep: one message per officer when several requests cross at once."""

from django.db import migrations

from notifikasi.templat_bawaan import pasang_templat_bawaan

KODE = ["sla_rawan_banyak", "sla_terlambat_banyak"]


def buat(apps, schema_editor):
    pasang_templat_bawaan(apps.get_model("notifikasi", "TemplatPesan"))


def hapus(apps, schema_editor):
    apps.get_model("notifikasi", "TemplatPesan").objects.filter(kode__in=KODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0005_digest_harian"),
        ("notifikasi", "0004_templat_pesan_awal"),
    ]

    operations = [migrations.RunPython(buat, hapus)]
