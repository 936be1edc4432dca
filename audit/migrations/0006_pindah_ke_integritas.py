"""Surveys, complaints and the rollup now belong to the integritas app (state only: the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_lepas_indeks_hash_waktu'),
        ('integritas', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
        migrations.RemoveField(
            model_name='riwayatpengaduan',
            name='pengaduan',
        ),
        migrations.DeleteModel(
            name='PermohonanRingkas',
        ),
        migrations.DeleteModel(
            name='Survei',
        ),
        migrations.DeleteModel(
            name='Pengaduan',
        ),
        migrations.DeleteModel(
            name='RiwayatPengaduan',
        ),
    ]),
    ]
