"""enkripsi_ulang: re-seal personal data under the newest key of DATA_KEYS (key rotation).

Rotation (docs/operations.md "Rotating the data key"): put a new key first in DATA_KEYS, keep the old
ones after it, restart, run this command; when it reports nothing left under an old key, drop the old
keys. Rows and files already under the newest key are left alone, so a run that stopped halfway is
simply run again. `--kunci-baru` prints a fresh key (for DATA_KEYS or BLIND_INDEX_KEY) and does nothing else.
"""

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from audit.enkripsi import (
    IndeksButa,
    JsonTersegel,
    TeksTersegel,
    bait_tersegel,
    buat_kunci_teks,
    buka_bait,
    id_kunci_bait,
    id_kunci_terbaru,
    segel_ulang_tabel,
)


def tabel_tersegel() -> list[dict]:
    """The sealed columns of every model, as `segel_ulang_tabel` takes them."""
    hasil = []
    for model in apps.get_models():
        teks = [f.column for f in model._meta.concrete_fields if isinstance(f, TeksTersegel)]
        json_ = {f.column: f.terbuka for f in model._meta.concrete_fields if isinstance(f, JsonTersegel)}
        if not teks and not json_:
            continue
        indeks = {f.column: (model._meta.get_field(f.sumber).column, f.jenis)
                  for f in model._meta.concrete_fields if isinstance(f, IndeksButa)}
        hasil.append(dict(tabel=model._meta.db_table, label=model._meta.label_lower, teks=teks,
                          json_terbuka=json_, indeks=indeks, kolom_pk=model._meta.pk.column))
    return hasil


def berkas_segel_ulang(storage=None) -> int:
    """Seal every stored file (uploads, letters, complaint evidence, logos: every FileField on the default
    storage) not yet under the newest key, or not sealed at all."""
    storage = storage or default_storage
    if not hasattr(storage, "tulis_ulang"):
        return 0
    terbaru, jumlah = id_kunci_terbaru(), 0
    nama = [n for model in apps.get_models() for f in model._meta.concrete_fields
            if isinstance(f, models.FileField) and f.storage is storage
            for n in model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True)]
    for n in nama:
        if not n or not storage.exists(n):
            continue
        mentah = storage.baca_mentah(n)
        if bait_tersegel(mentah) and id_kunci_bait(mentah) == terbaru:
            continue
        polos = buka_bait(mentah, label="berkas:" + n) if bait_tersegel(mentah) else mentah
        storage.tulis_ulang(n, polos)
        jumlah += 1
    return jumlah


class Command(BaseCommand):
    help = "Segel ulang NIK, nomor HP, identitas permohonan dan berkas dengan kunci terbaru DATA_KEYS."
    requires_system_checks = []  # --kunci-baru makes what the production checks ask for

    def add_arguments(self, parser):
        parser.add_argument("--kunci-baru", action="store_true", help="Cetak kunci acak baru lalu selesai.")
        parser.add_argument("--semua", action="store_true",
                            help="Segel ulang setiap baris, juga yang sudah memakai kunci terbaru.")

    def handle(self, *args, kunci_baru=False, semua=False, **opsi):
        if kunci_baru:
            self.stdout.write(buat_kunci_teks())
            return
        self.stdout.write(f"Kunci terbaru: {id_kunci_terbaru()}")
        for t in tabel_tersegel():
            with transaction.atomic():
                n = segel_ulang_tabel(connection, **t, semua=semua)
            self.stdout.write(f"  {t['tabel']}: {n} baris disegel ulang")
        self.stdout.write(f"  berkas: {berkas_segel_ulang()} disegel ulang")
