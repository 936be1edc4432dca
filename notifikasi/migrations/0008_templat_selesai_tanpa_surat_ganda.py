"""The "selesai" message said "Surat Surat Keterangan …": service names already start with "Surat".
Rows still holding the old default text get the new one; a text an admin edited is left alone."""

from django.db import migrations

LAMA = "Surat {{ layanan }} untuk permohonan"
BARU = "{{ layanan }} untuk permohonan"


def maju(apps, schema_editor):
    TemplatPesan = apps.get_model("notifikasi", "TemplatPesan")
    for t in TemplatPesan.objects.filter(kode="selesai", isi__startswith=LAMA):
        t.isi = BARU + t.isi[len(LAMA):]
        t.save(update_fields=["isi"])


def mundur(apps, schema_editor):
    TemplatPesan = apps.get_model("notifikasi", "TemplatPesan")
    for t in TemplatPesan.objects.filter(kode="selesai", isi__startswith=BARU):
        t.isi = LAMA + t.isi[len(BARU):]
        t.save(update_fields=["isi"])


class Migration(migrations.Migration):
    dependencies = [("notifikasi", "0007_percakapan")]
    operations = [migrations.RunPython(maju, mundur)]
