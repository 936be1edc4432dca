"""Message templates of the SLA sweep (officers are told when a request turns rawan or terlambat)."""

from django.db import migrations

TEMPLAT = [
    {
        "kode": "sla_rawan",
        "nama": "SLA rawan: 75% jatah waktu terpakai",
        "isi": (
            "Simpatik: permohonan {{ nomor_registrasi }} ({{ layanan }}, {{ kelurahan }}) sudah memakai "
            "{{ terpakai_jam }} dari {{ jatah_jam }} jam kerja. Tenggat {{ tenggat }}. Mohon segera diproses: "
            "{{ tautan }}"
        ),
        "variabel_konten": ["nomor_registrasi", "layanan", "kelurahan", "terpakai_jam", "jatah_jam", "tenggat", "tautan"],
    },
    {
        "kode": "sla_terlambat",
        "nama": "SLA terlambat: tenggat terlewati",
        "isi": (
            "Simpatik: permohonan {{ nomor_registrasi }} ({{ layanan }}, {{ kelurahan }}) melewati tenggat "
            "{{ tenggat }} ({{ terpakai_jam }} dari {{ jatah_jam }} jam kerja), kini di tahap {{ tahap }}. "
            "{{ tautan }}"
        ),
        "variabel_konten": ["nomor_registrasi", "layanan", "kelurahan", "tenggat", "terpakai_jam", "jatah_jam", "tahap", "tautan"],
    },
]


def buat(apps, schema_editor):
    TemplatPesan = apps.get_model("notifikasi", "TemplatPesan")
    for t in TEMPLAT:
        TemplatPesan.objects.get_or_create(kode=t["kode"], defaults={k: v for k, v in t.items() if k != "kode"})


def hapus(apps, schema_editor):
    apps.get_model("notifikasi", "TemplatPesan").objects.filter(kode__in=[t["kode"] for t in TEMPLAT]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("layanan", "0002_sla_kompensasi_indeks_sapu"),
        ("notifikasi", "0001_initial"),
    ]

    operations = [migrations.RunPython(buat, hapus)]
