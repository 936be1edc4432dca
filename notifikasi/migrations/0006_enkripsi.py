"""Seal message recipients and OTP numbers (audit/enkripsi.py); key the opt-out and session tables by
the number's blind index instead of the number.

Sealing is reversible (going back opens the values with DATA_KEYS). Re-keying the opt-out and session
tables is one-way: an HMAC cannot give the number back, so going back drops the sessions (they expire within
24 hours anyway) and refuses while any opt-out is kept (see `buka`)."""

from django.db import migrations, models

import audit.enkripsi

BANTUAN = "Indeks buta nomor (HMAC); nomornya tidak disimpan"
TABEL = [
    dict(tabel="notifikasi_outbox", label="notifikasi.outbox", teks=("penerima",),
         indeks={"penerima_indeks": ("penerima", "hp")}),
    dict(tabel="notifikasi_kodeotp", label="notifikasi.kodeotp", teks=("no_hp",)),
]


def segel(apps, schema_editor):
    for t in TABEL:
        audit.enkripsi.segel_ulang_tabel(schema_editor.connection, **t)
    q = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        for tabel in ("notifikasi_berhenti", "notifikasi_sesiwhatsapp"):
            cursor.execute(f"SELECT {q('no_hp')} FROM {q(tabel)}")  # noqa: S608 - names from code
            nomor = [n for (n,) in cursor.fetchall()]
            cursor.executemany(f"UPDATE {q(tabel)} SET {q('no_hp')} = %s WHERE {q('no_hp')} = %s",  # noqa: S608
                               [(audit.enkripsi.indeks_hp(n), n) for n in nomor])


def buka(apps, schema_editor):
    """Back to plaintext. Sessions (24-hour windows) are dropped; opt-outs cannot be turned back into numbers,
    so going back refuses while there are any: export and delete them on purpose first."""
    q = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {q('notifikasi_berhenti')}")  # noqa: S608 - names from code
        if cursor.fetchone()[0]:
            raise RuntimeError("notifikasi_berhenti hanya menyimpan indeks buta nomor: tidak bisa dikembalikan "
                               "menjadi nomor. Catat dan hapus barisnya dengan sengaja sebelum mundur.")
        cursor.execute(f"DELETE FROM {q('notifikasi_sesiwhatsapp')}")  # noqa: S608
    for t in TABEL:
        audit.enkripsi.segel_ulang_tabel(schema_editor.connection, **{**t, "indeks": {}}, balik=True)


class Migration(migrations.Migration):
    dependencies = [("notifikasi", "0005_sekali_kirim")]

    operations = [
        migrations.AddField(
            model_name="outbox", name="penerima_indeks",
            field=audit.enkripsi.IndeksButa(jenis="hp", sumber="penerima", default=""), preserve_default=False,
        ),
        migrations.AlterField(model_name="outbox", name="penerima",
                              field=audit.enkripsi.TeksTersegel(help_text="E.164, tersegel", max_length=16)),
        migrations.AlterField(model_name="kodeotp", name="no_hp", field=audit.enkripsi.TeksTersegel(max_length=16)),
        migrations.AlterField(model_name="berhenti", name="no_hp",
                              field=models.CharField(max_length=64, primary_key=True, serialize=False, help_text=BANTUAN)),
        migrations.AlterField(model_name="sesiwhatsapp", name="no_hp",
                              field=models.CharField(max_length=64, primary_key=True, serialize=False, help_text=BANTUAN)),
        migrations.RunPython(segel, buka, elidable=False),
        migrations.RenameField(model_name="berhenti", old_name="no_hp", new_name="kunci_hp"),
        migrations.RenameField(model_name="sesiwhatsapp", old_name="no_hp", new_name="kunci_hp"),
    ]
