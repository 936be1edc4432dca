"""enkripsi_ulang: re-seal personal data under the newest key of DATA_KEYS (key rotation).

Rotation (docs/operations.md "Rotating the data key"): put a new key first in DATA_KEYS, keep the old
ones after it, restart, run this command; when it reports nothing left under an old key, drop the old
keys. Rows and files already under the newest key are left alone, so a run that stopped halfway is
simply run again. `--kunci-baru` prints a fresh key (for DATA_KEYS or BLIND_INDEX_KEY) and does nothing else.
`--indeks` recomputes the blind indexes after BLIND_INDEX_KEY was rotated (the previous key kept meanwhile as
BLIND_INDEX_KEY_LAMA, so lookups match either): docs/privasi.md "Rotasi kunci indeks".
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
    indeks_hp,
    segel_ulang_tabel,
    token_kata_json,
)


def tabel_tersegel() -> list[dict]:
    """The sealed columns of every model, as `segel_ulang_tabel` takes them."""
    hasil = []
    for model in apps.get_models():
        teks = [f.column for f in model._meta.concrete_fields if isinstance(f, TeksTersegel)]
        json_ = {f.column: f.terbuka for f in model._meta.concrete_fields if isinstance(f, JsonTersegel)}
        kata = {f.column: f.kata for f in model._meta.concrete_fields if isinstance(f, JsonTersegel) and f.kata}
        if not teks and not json_:
            continue
        indeks = {f.column: (model._meta.get_field(f.sumber).column, f.jenis)
                  for f in model._meta.concrete_fields if isinstance(f, IndeksButa)}
        hasil.append(dict(tabel=model._meta.db_table, label=model._meta.label_lower, teks=teks,
                          json_terbuka=json_, json_kata=kata, indeks=indeks, kolom_pk=model._meta.pk.column))
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


# Tables keyed by a number's blind index alone (the number is not stored): re-keyed through the numbers
# stored elsewhere, since an HMAC cannot be recomputed without its input.
TABEL_KUNCI_HP = ("notifikasi.Berhenti", "notifikasi.SesiWhatsApp", "notifikasi.Percakapan")


def indeks_hitung_ulang(*, ukuran: int = 1000) -> dict[str, int]:
    """Recompute every IndeksButa column and every word index of a JsonTersegel (the applicant's name) from the
    opened value under the current BLIND_INDEX_KEY, in batches of `ukuran` rows by primary key, one transaction
    (rows locked) per batch. Rows already under the current key are not written, so a run that stopped is run
    again; an empty index stays empty (a recipient masked by retention was made unfindable on purpose).
    Returns the rows written per table."""
    hasil = {}
    for model in apps.get_models():
        bidang = [f for f in model._meta.concrete_fields if isinstance(f, IndeksButa)]
        kata = [f for f in model._meta.concrete_fields if isinstance(f, JsonTersegel) and f.kata]
        if not bidang and not kata:
            continue
        kolom = {f.name for f in bidang} | {f.sumber for f in bidang} | {f.name for f in kata}
        terakhir, jumlah = None, 0
        while True:
            with transaction.atomic():
                qs = model._base_manager.select_for_update().order_by("pk")
                qs = qs.filter(pk__gt=terakhir) if terakhir is not None else qs
                baris = list(qs.only(*kolom)[:ukuran])
                if not baris:
                    break
                # The stored word index, which reading the field leaves out.
                tersimpan = {f.name: dict(model._base_manager.filter(pk__in=[b.pk for b in baris])
                                          .values_list("pk", f"{f.name}__{JsonTersegel.KATA}")) for f in kata}
                ubah = []
                for b in baris:
                    lama = [getattr(b, f.attname) for f in bidang]
                    for f in bidang:
                        if getattr(b, f.attname):
                            setattr(b, f.attname, f.hitung(getattr(b, f.sumber)))
                    berubah = lama != [getattr(b, f.attname) for f in bidang]
                    for f in kata:
                        baru = token_kata_json(getattr(b, f.name) or {}, f.kata)
                        berubah |= (tersimpan[f.name].get(b.pk) or "") != baru
                    if berubah:
                        ubah.append(b)
                model._base_manager.bulk_update(ubah, [f.name for f in bidang + kata])
                jumlah += len(ubah)
                terakhir = baris[-1].pk
        hasil[model._meta.db_table] = jumlah
    return hasil


def _nomor_dikenal() -> set[str]:
    """Every phone number the database holds (residents, recipients, officers, sign-in codes, counter changes)."""
    nomor = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, TeksTersegel) and (f.name.startswith("no_hp") or any(
                    isinstance(i, IndeksButa) and i.jenis == "hp" and i.sumber == f.name
                    for i in model._meta.concrete_fields)):
                nomor.update(model._base_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True)
                             .iterator(chunk_size=2000))
    return nomor


def kunci_hp_hitung_ulang() -> dict[str, tuple[int, int]]:
    """Re-key the opt-outs, WhatsApp windows and conversations from the old index key (BLIND_INDEX_KEY_LAMA) to
    the current one, through the numbers the database holds; a row whose new key already exists (the number
    wrote again during the rotation) replaces the old. Returns {table: (re-keyed, left under an unknown key)}."""
    from django.conf import settings

    tabel = [apps.get_model(m) for m in TABEL_KUNCI_HP]
    ada = {m: set(m._base_manager.values_list("pk", flat=True)) for m in tabel}
    if not settings.BLIND_INDEX_KEY_LAMA:
        return {m._meta.db_table: (0, 0) for m in tabel}
    semua = set().union(*ada.values())
    peta, dikenal = {}, set()
    for n in _nomor_dikenal() if semua else ():
        baru, lama = indeks_hp(n), indeks_hp(n, lama=True)
        dikenal.add(baru)
        if lama in semua:
            peta[lama] = baru
    hasil = {}
    for m in tabel:
        pindah = {lama: baru for lama, baru in peta.items() if lama in ada[m] and lama != baru}
        with transaction.atomic():
            for lama, baru in pindah.items():
                if baru in ada[m]:
                    m._base_manager.filter(pk=lama).delete()
                else:
                    m._base_manager.filter(pk=lama).update(**{m._meta.pk.name: baru})
        sisa = sum(1 for k in ada[m] if k not in peta and k not in dikenal)
        hasil[m._meta.db_table] = (len(pindah), sisa)
    return hasil


class Command(BaseCommand):
    help = "Segel ulang NIK, nomor HP, identitas permohonan dan berkas dengan kunci terbaru DATA_KEYS."
    requires_system_checks = []  # --kunci-baru makes what the production checks ask for

    def add_arguments(self, parser):
        parser.add_argument("--kunci-baru", action="store_true", help="Cetak kunci acak baru lalu selesai.")
        parser.add_argument("--semua", action="store_true",
                            help="Segel ulang setiap baris, juga yang sudah memakai kunci terbaru.")
        parser.add_argument("--indeks", action="store_true",
                            help="Hitung ulang setiap indeks buta dengan BLIND_INDEX_KEY (rotasi kunci indeks).")
        parser.add_argument("--ukuran", type=int, default=1000, help="Baris per transaksi untuk --indeks.")

    def handle(self, *args, kunci_baru=False, semua=False, indeks=False, ukuran=1000, **opsi):
        if kunci_baru:
            self.stdout.write(buat_kunci_teks())
            return
        if indeks:
            for tabel, n in indeks_hitung_ulang(ukuran=ukuran).items():
                self.stdout.write(f"  {tabel}: {n} indeks dihitung ulang")
            for tabel, (n, sisa) in kunci_hp_hitung_ulang().items():
                self.stdout.write(f"  {tabel}: {n} kunci dihitung ulang ({sisa} nomor tidak dikenal)")
            return
        self.stdout.write(f"Kunci terbaru: {id_kunci_terbaru()}")
        for t in tabel_tersegel():
            with transaction.atomic():
                n = segel_ulang_tabel(connection, **t, semua=semua)
            self.stdout.write(f"  {t['tabel']}: {n} baris disegel ulang")
        self.stdout.write(f"  berkas: {berkas_segel_ulang()} disegel ulang")
