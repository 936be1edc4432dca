"""import_wilayah <csv>: load the Kemendagri region list (columns kode,nama)."""

import time

from django.core.management.base import BaseCommand, CommandError

from kelurahan.services import WilayahTidakValid, wilayah_impor_csv


class Command(BaseCommand):
    help = "Memuat daftar wilayah Kemendagri (kolom kode,nama) secara idempoten; baris salah menggagalkan seluruh impor."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="berkas CSV (boleh .csv.gz), mis. kelurahan/data/wilayah.csv.gz (seluruh Indonesia)")

    def handle(self, *args, **opsi):
        mulai = time.perf_counter()
        try:
            hasil = wilayah_impor_csv(path=opsi["csv"])
        except FileNotFoundError as exc:
            raise CommandError(f"Berkas tidak ditemukan: {opsi['csv']}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"Berkas bukan UTF-8: {exc}") from exc
        except WilayahTidakValid as exc:
            for pesan in exc.galat[:200]:
                self.stderr.write(pesan)
            if len(exc.galat) > 200:
                self.stderr.write(f"... dan {len(exc.galat) - 200} baris lain")
            raise CommandError(f"{len(exc.galat)} baris tidak valid; tidak ada yang diimpor.") from exc
        detik = time.perf_counter() - mulai
        if hasil.dibuat or hasil.diubah:
            ringkas = f"dibuat {hasil.dibuat}, diubah {hasil.diubah}, tetap {hasil.tetap}"
        else:
            ringkas = f"tidak ada perubahan: dibuat 0, diubah 0, tetap {hasil.tetap}"
        self.stdout.write(self.style.SUCCESS(f"Wilayah: {ringkas} ({detik:.1f} detik)."))
