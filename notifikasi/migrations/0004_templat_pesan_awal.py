"""The initial message templates, in Bahasa Indonesia.

ContentSid is empty: each deployment submits these texts to WhatsApp for
approval in its own Twilio account and fills the HX... SID in the admin.
`variabel_konten` fixes the order of {{1}}, {{2}}, ... in that approved text.
"""

from django.db import migrations

from notifikasi.templat_bawaan import TEMPLAT, pasang_templat_bawaan


def buat(apps, schema_editor):
    pasang_templat_bawaan(apps.get_model("notifikasi", "TemplatPesan"))


def hapus(apps, schema_editor):
    apps.get_model("notifikasi", "TemplatPesan").objects.filter(kode__in=[t["kode"] for t in TEMPLAT]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifikasi", "0003_berhenti_sesi_klaim")]

    operations = [migrations.RunPython(buat, hapus)]
