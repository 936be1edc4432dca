"""The surveys, complaints and rollup rows move from the audit app's state to this app's, with no
change to the database: the tables keep their names (db_table), so no row moves. Content types follow,
so permissions granted on them stay granted."""

import django.db.models.deletion
from django.db import migrations, models


MODEL = ("pengaduan", "permohonanringkas", "riwayatpengaduan", "survei")


def pindahkan_jenis_konten(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="audit", model__in=MODEL).update(app_label="integritas")


def kembalikan_jenis_konten(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="integritas", model__in=MODEL).update(app_label="audit")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('audit', '0005_lepas_indeks_hash_waktu'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
        migrations.CreateModel(
            name='Pengaduan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kode_lacak', models.CharField(max_length=12, unique=True)),
                ('kategori', models.CharField(choices=[('pungli', 'Pungutan liar'), ('calo', 'Percaloan'), ('lambat', 'Layanan lambat'), ('perilaku', 'Perilaku petugas'), ('lainnya', 'Lainnya')], max_length=10)),
                ('isi', models.TextField()),
                ('nomor_registrasi', models.CharField(blank=True, max_length=12)),
                ('permohonan_id', models.BigIntegerField(blank=True, null=True)),
                ('layanan', models.CharField(blank=True, max_length=40)),
                ('kelurahan', models.CharField(blank=True, max_length=13)),
                ('kecamatan', models.CharField(blank=True, max_length=13)),
                ('kota', models.CharField(blank=True, max_length=13)),
                ('kontak', models.CharField(blank=True, help_text='Opsional; hanya untuk inspektorat', max_length=150)),
                ('bukti', models.FileField(blank=True, max_length=200, upload_to='pengaduan/')),
                ('bukti_jenis', models.CharField(blank=True, max_length=40)),
                ('bukti_sha256', models.CharField(blank=True, max_length=64)),
                ('status', models.CharField(choices=[('diterima', 'Diterima'), ('diverifikasi', 'Diverifikasi'), ('ditindaklanjuti', 'Ditindaklanjuti'), ('selesai', 'Selesai'), ('ditutup', 'Ditutup')], db_index=True, default='diterima', max_length=16)),
                ('diterima_pada', models.DateTimeField()),
                ('tenggat_tanggapan', models.DateTimeField()),
                ('tenggat_selesai', models.DateTimeField()),
                ('ditanggapi_pada', models.DateTimeField(blank=True, null=True)),
                ('diselesaikan_pada', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'pengaduan',
                'verbose_name_plural': 'pengaduan',
                'db_table': 'audit_pengaduan',
                'ordering': ['-diterima_pada'],
                'indexes': [models.Index(fields=['kelurahan', 'diterima_pada'], name='pengaduan_kel_idx'), models.Index(fields=['kecamatan', 'diterima_pada'], name='pengaduan_kec_idx'), models.Index(fields=['kota', 'diterima_pada'], name='pengaduan_kota_idx')],
            },
        ),
        migrations.CreateModel(
            name='PermohonanRingkas',
            fields=[
                ('permohonan_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('nomor_registrasi', models.CharField(blank=True, max_length=12)),
                ('layanan', models.CharField(blank=True, max_length=40)),
                ('kelurahan', models.CharField(max_length=13)),
                ('kecamatan', models.CharField(max_length=13)),
                ('kota', models.CharField(max_length=13)),
                ('kantor', models.CharField(blank=True, help_text='Kantor yang sedang/terakhir memegang tahapnya', max_length=13)),
                ('kanal', models.CharField(blank=True, max_length=6)),
                ('pemohon', models.CharField(blank=True, help_text='Kunci samaran pemohon, bukan NIK', max_length=64)),
                ('status', models.CharField(max_length=24)),
                ('diajukan_pada', models.DateTimeField()),
                ('selesai_pada', models.DateTimeField(blank=True, help_text='Saat mencapai status akhir', null=True)),
                ('tenggat', models.DateTimeField(blank=True, null=True)),
                ('jatah_detik', models.PositiveIntegerField(blank=True, null=True)),
                ('terpakai_kelurahan_detik', models.PositiveIntegerField(blank=True, null=True)),
                ('terpakai_kecamatan_detik', models.PositiveIntegerField(blank=True, null=True)),
                ('jeda_detik', models.PositiveIntegerField(blank=True, null=True)),
                ('memenuhi_standar', models.BooleanField(blank=True, null=True)),
                ('lewat_kecamatan', models.BooleanField(default=False)),
                ('pernah_perbaikan', models.BooleanField(default=False)),
                ('event_terakhir', models.BigIntegerField(help_text='id AuditEvent terakhir yang diterapkan')),
                ('diperbarui_pada', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'ringkasan permohonan (indikator)',
                'verbose_name_plural': 'ringkasan permohonan (indikator)',
                'db_table': 'audit_permohonanringkas',
                'indexes': [models.Index(fields=['kelurahan', 'diajukan_pada'], name='ringkas_kel_aju_idx'), models.Index(fields=['kecamatan', 'diajukan_pada'], name='ringkas_kec_aju_idx'), models.Index(fields=['kota', 'diajukan_pada'], name='ringkas_kota_aju_idx'), models.Index(fields=['kelurahan', 'selesai_pada'], name='ringkas_kel_sel_idx'), models.Index(fields=['kecamatan', 'selesai_pada'], name='ringkas_kec_sel_idx'), models.Index(fields=['kota', 'selesai_pada'], name='ringkas_kota_sel_idx'), models.Index(fields=['kecamatan', 'status', 'tenggat'], name='ringkas_kec_status_idx'), models.Index(fields=['kota', 'status', 'tenggat'], name='ringkas_kota_status_idx'), models.Index(fields=['kelurahan', 'status', 'tenggat'], name='ringkas_kel_status_idx')],
            },
        ),
        migrations.CreateModel(
            name='RiwayatPengaduan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dari', models.CharField(blank=True, max_length=16)),
                ('ke', models.CharField(max_length=16)),
                ('catatan', models.TextField(blank=True, help_text='Ditampilkan kepada pengadu')),
                ('oleh', models.CharField(blank=True, max_length=150)),
                ('waktu', models.DateTimeField()),
                ('pengaduan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='riwayat', to='integritas.pengaduan')),
            ],
            options={
                'verbose_name': 'riwayat pengaduan',
                'verbose_name_plural': 'riwayat pengaduan',
                'db_table': 'audit_riwayatpengaduan',
                'ordering': ['pengaduan', 'waktu', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Survei',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kunci', models.CharField(help_text='HMAC dari id permohonan', max_length=64, unique=True)),
                ('kelurahan', models.CharField(max_length=13)),
                ('kecamatan', models.CharField(max_length=13)),
                ('kota', models.CharField(max_length=13)),
                ('layanan', models.CharField(max_length=40)),
                ('tanggal', models.DateField(help_text='Tanggal mengisi; jamnya sengaja tidak disimpan')),
                ('ikm_persyaratan', models.PositiveSmallIntegerField()),
                ('ikm_prosedur', models.PositiveSmallIntegerField()),
                ('ikm_waktu', models.PositiveSmallIntegerField()),
                ('ikm_biaya', models.PositiveSmallIntegerField()),
                ('ikm_produk', models.PositiveSmallIntegerField()),
                ('ikm_kompetensi', models.PositiveSmallIntegerField()),
                ('ikm_perilaku', models.PositiveSmallIntegerField()),
                ('ikm_pengaduan', models.PositiveSmallIntegerField()),
                ('ikm_sarana', models.PositiveSmallIntegerField()),
                ('ipak_diskriminasi', models.PositiveSmallIntegerField()),
                ('ipak_kecurangan', models.PositiveSmallIntegerField()),
                ('ipak_gratifikasi', models.PositiveSmallIntegerField()),
                ('ipak_pungli', models.PositiveSmallIntegerField()),
                ('ipak_percaloan', models.PositiveSmallIntegerField()),
                ('ipkp_informasi', models.PositiveSmallIntegerField()),
                ('ipkp_persyaratan', models.PositiveSmallIntegerField()),
                ('ipkp_prosedur', models.PositiveSmallIntegerField()),
                ('ipkp_waktu', models.PositiveSmallIntegerField()),
                ('ipkp_biaya', models.PositiveSmallIntegerField()),
                ('ipkp_sarana', models.PositiveSmallIntegerField()),
                ('ipkp_petugas', models.PositiveSmallIntegerField()),
                ('ipkp_pengaduan', models.PositiveSmallIntegerField()),
                ('diminta_bayar', models.BooleanField()),
                ('jumlah_bayar', models.PositiveIntegerField(blank=True, null=True)),
                ('kepada_bayar', models.CharField(blank=True, max_length=120)),
                ('saran', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': 'survei',
                'verbose_name_plural': 'survei',
                'db_table': 'audit_survei',
                'indexes': [models.Index(fields=['kelurahan', 'tanggal'], name='survei_kel_idx'), models.Index(fields=['kecamatan', 'tanggal'], name='survei_kec_idx'), models.Index(fields=['kota', 'tanggal'], name='survei_kota_idx')],
            },
        ),
    ]),
        migrations.RunPython(pindahkan_jenis_konten, kembalikan_jenis_konten),
    ]
