"""Seal the applicant's name in a request's identity snapshot, the last readable name in the database: each
row's name goes into the sealed part and its word index (audit/enkripsi.py: token_kata) is written beside it,
which the officers' search by name now reads. Reversible: going back leaves the name readable again beside
the sealed rest (the state of 0015), never the whole snapshot in clear."""

import audit.enkripsi
from django.db import migrations

TABEL = dict(tabel="layanan_permohonan", label="layanan.permohonan")


def segel_nama(apps, schema_editor):
    audit.enkripsi.segel_ulang_tabel(schema_editor.connection, **TABEL, json_terbuka={"identitas": ()},
                                     json_kata={"identitas": ("nama",)})


def buka_nama(apps, schema_editor):
    audit.enkripsi.segel_ulang_tabel(schema_editor.connection, **TABEL, json_terbuka={"identitas": ("nama",)})


class Migration(migrations.Migration):

    dependencies = [
        ('layanan', '0015_warga_tersegel'),
    ]

    operations = [
        migrations.AlterField(
            model_name='permohonan',
            name='identitas',
            field=audit.enkripsi.JsonTersegel(default=dict, help_text='Data diri pemohon saat mengajukan', kata=('nama',)),
        ),
        migrations.RunPython(segel_nama, buka_nama, elidable=False),
    ]
