"""Seal the officers' WhatsApp numbers and TTE NIKs (audit/enkripsi.py). Reversible: going back opens
them to plaintext again with the keys of DATA_KEYS."""

from django.db import migrations

import audit.enkripsi

KOLOM = dict(tabel="kelurahan_penugasan", label="kelurahan.penugasan", teks=("no_hp", "nik_tte"))


class Migration(migrations.Migration):
    dependencies = [("kelurahan", "0005_penugasan_nik_tte")]

    operations = [
        migrations.AlterField(
            model_name="penugasan", name="no_hp",
            field=audit.enkripsi.TeksTersegel(blank=True, help_text="WhatsApp dinas, E.164; untuk peringatan tenggat (SLA)",
                                              max_length=16),
        ),
        migrations.AlterField(
            model_name="penugasan", name="nik_tte",
            field=audit.enkripsi.TeksTersegel(
                blank=True, max_length=16, verbose_name="NIK TTE",
                help_text="NIK penandatangan yang terdaftar di penyelenggara sertifikasi elektronik (BSrE); "
                          "wajib bagi penandatangan bila SURAT_TTE=bsre"),
        ),
        audit.enkripsi.migrasi_segel(KOLOM),
    ]
