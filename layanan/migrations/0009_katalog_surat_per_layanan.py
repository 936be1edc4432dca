"""Bring the services an install already has to the catalogue's new fields, English texts and archive codes.

Fresh installs load the catalogue with `seed_demo` (layanan.katalog.katalog_muat); this
brings existing ones to the same values for the listed services only. It leaves alone
what offices tune (SLA, order, active flag, their own letter template) and services an
admin added. The values are frozen in 0009_katalog.json beside this file (a copy of
layanan.katalog.KATALOG when this migration was written), so later edits of the catalogue
never change what this step does.
"""

from django.db import migrations


def _katalog_beku():
    import json
    from pathlib import Path

    return json.loads((Path(__file__).with_name("0009_katalog.json")).read_text(encoding="utf-8"))


BIDANG = ("nama", "nama_en", "perihal", "kode_klasifikasi", "deskripsi", "deskripsi_en", "formulir", "dasar_hukum")


def terapkan(apps, schema_editor):
    Layanan = apps.get_model("layanan", "Layanan")
    Persyaratan = apps.get_model("layanan", "Persyaratan")
    for entri in _katalog_beku():
        layanan = Layanan.objects.filter(kode=entri["kode"]).first()
        if layanan is None:
            continue
        for bidang in BIDANG:
            setattr(layanan, bidang, entri[bidang])
        layanan.save(update_fields=list(BIDANG))
        ada = {p.kode: p for p in Persyaratan.objects.filter(layanan=layanan)}
        for urutan, syarat in enumerate(entri["persyaratan"], start=1):
            nilai = {"nama": syarat["nama"], "nama_en": syarat["nama_en"], "unggah": syarat["unggah"]}
            if syarat["kode"] in ada:
                Persyaratan.objects.filter(pk=ada[syarat["kode"]].pk).update(**nilai)
            else:
                Persyaratan.objects.create(layanan=layanan, kode=syarat["kode"], urutan=urutan, **nilai)


class Migration(migrations.Migration):
    dependencies = [("layanan", "0008_surat_per_layanan")]

    operations = [migrations.RunPython(terapkan, migrations.RunPython.noop)]
