"""Messages the request lifecycle sends. Admins may edit the text and attach Twilio content SIDs."""

from django.db import migrations

TEMPLAT = {
    "permohonan_diterima": (
        "Permohonan diterima",
        "Permohonan {{ layanan }} Anda diterima dengan nomor {{ nomor }}. Layanan ini tidak dipungut biaya. "
        "Pantau di {{ tautan }}",
    ),
    "status_diperbarui": (
        "Status permohonan berubah",
        "Permohonan {{ nomor }} ({{ layanan }}): {{ status }}. Pantau di {{ tautan }}",
    ),
    "perlu_perbaikan": (
        "Permohonan perlu perbaikan",
        "Permohonan {{ nomor }} ({{ layanan }}) perlu perbaikan: {{ alasan }}. Perbaiki di {{ tautan }}",
    ),
    "diteruskan_kecamatan": (
        "Diteruskan ke kecamatan",
        "Permohonan {{ nomor }} ({{ layanan }}) telah disetujui kelurahan dan diteruskan ke kecamatan. "
        "Pantau di {{ tautan }}",
    ),
    "selesai": (
        "Surat selesai",
        "Surat {{ layanan }} untuk permohonan {{ nomor }} telah selesai. Unduh di {{ tautan_unduh }} . "
        "Tidak dipungut biaya.",
    ),
    "ditolak": (
        "Permohonan ditolak",
        "Permohonan {{ nomor }} ({{ layanan }}) ditolak: {{ alasan }}. Bila keberatan atau diminta membayar, "
        "laporkan di {{ tautan_pengaduan }}",
    ),
    "dibatalkan": ("Permohonan dibatalkan", "Permohonan {{ nomor }} ({{ layanan }}) telah dibatalkan."),
}


def buat(apps, schema_editor):
    TemplatPesan = apps.get_model("notifikasi", "TemplatPesan")
    for kode, (nama, isi) in TEMPLAT.items():
        TemplatPesan.objects.update_or_create(kode=kode, defaults={"nama": nama, "isi": isi})


class Migration(migrations.Migration):
    dependencies = [("notifikasi", "0001_initial")]
    operations = [migrations.RunPython(buat, migrations.RunPython.noop)]
