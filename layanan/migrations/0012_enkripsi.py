"""Seal residents' NIK and numbers, requests' identity and form data, and counter number changes
(audit/enkripsi.py); fill the blind indexes sign-in, the counter and the officers' search look up.
Reversible: going back opens every value to plaintext again with the keys of DATA_KEYS."""

from django.db import migrations

import audit.enkripsi

TABEL = [
    dict(tabel="layanan_warga", label="layanan.warga", teks=("nik", "no_hp"),
         indeks={"nik_indeks": ("nik", "nik"), "no_hp_indeks": ("no_hp", "hp")}),
    dict(tabel="layanan_permohonan", label="layanan.permohonan", json_terbuka={"identitas": ("nama",), "data": ()}),
    dict(tabel="layanan_gantinomorloket", label="layanan.gantinomorloket", teks=("no_hp_lama", "no_hp_baru")),
]


class Migration(migrations.Migration):
    dependencies = [("layanan", "0011_ganti_nomor_loket")]

    operations = [
        migrations.AddField(
            model_name="warga", name="nik_indeks",
            field=audit.enkripsi.IndeksButa(jenis="nik", sumber="nik", default=""), preserve_default=False,
        ),
        migrations.AddField(
            model_name="warga", name="no_hp_indeks",
            field=audit.enkripsi.IndeksButa(jenis="hp", sumber="no_hp", default=""), preserve_default=False,
        ),
        migrations.AlterField(model_name="warga", name="nik", field=audit.enkripsi.TeksTersegel(max_length=16)),
        migrations.AlterField(
            model_name="warga", name="no_hp",
            field=audit.enkripsi.TeksTersegel(help_text="E.164, mis. +6281234567890", max_length=16),
        ),
        migrations.AlterField(
            model_name="permohonan", name="identitas",
            field=audit.enkripsi.JsonTersegel(default=dict, help_text="Data diri pemohon saat mengajukan", terbuka=("nama",)),
        ),
        migrations.AlterField(
            model_name="permohonan", name="data",
            field=audit.enkripsi.JsonTersegel(blank=True, default=dict,
                                              help_text="Isian layanan (mis. NIK anggota keluarga), tersegel"),
        ),
        migrations.AlterField(model_name="gantinomorloket", name="no_hp_lama",
                              field=audit.enkripsi.TeksTersegel(max_length=16)),
        migrations.AlterField(model_name="gantinomorloket", name="no_hp_baru",
                              field=audit.enkripsi.TeksTersegel(max_length=16)),
        audit.enkripsi.migrasi_segel(*TABEL),
        migrations.AlterField(
            model_name="warga", name="nik_indeks", field=audit.enkripsi.IndeksButa(jenis="nik", sumber="nik", unique=True),
        ),
        migrations.AlterField(
            model_name="warga", name="no_hp_indeks", field=audit.enkripsi.IndeksButa(db_index=True, jenis="hp", sumber="no_hp"),
        ),
    ]
