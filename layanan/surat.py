"""Letters. First cut: the gapless number; PDF, QR and revocation come with issue 6."""

import secrets

from django.db import transaction

from kelurahan.models import Kantor
from layanan.models import Layanan, PenghitungNomorSurat, Surat

ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def kantor_penandatangan(permohonan) -> Kantor:
    kode = permohonan.kecamatan_id if permohonan.layanan.tingkat == Layanan.Tingkat.KECAMATAN else permohonan.kelurahan_id
    return Kantor.objects.get(wilayah_id=kode)


def _nomor_berikut(kantor: Kantor, tahun: int) -> int:
    PenghitungNomorSurat.objects.bulk_create([PenghitungNomorSurat(kantor=kantor, tahun=tahun)], ignore_conflicts=True)
    with transaction.atomic():
        baris = PenghitungNomorSurat.objects.select_for_update().get(kantor=kantor, tahun=tahun)
        baris.terakhir += 1
        baris.save(update_fields=["terakhir"])
    return baris.terakhir


def surat_terbitkan(*, permohonan, penandatangan, waktu) -> Surat:
    from django.utils import timezone

    kantor = kantor_penandatangan(permohonan)
    lokal = timezone.localtime(waktu)
    urut = _nomor_berikut(kantor, lokal.year)
    nomor = kantor.format_nomor_surat.format(
        klasifikasi=permohonan.layanan.kode_klasifikasi, urut=urut, kode_wilayah=kantor.wilayah_id,
        bulan_romawi=ROMAWI[lokal.month - 1], bulan=lokal.month, tahun=lokal.year,
    )
    return Surat.objects.create(
        id_publik=secrets.token_urlsafe(8), permohonan=permohonan, kantor=kantor, nomor=nomor, tahun=lokal.year,
        urut=urut, diterbitkan_pada=waktu,
        penandatangan={"nama": penandatangan.get_full_name(), "jabatan": kantor.penandatangan_jabatan},
    )


def tautan_unduh(surat) -> str:
    from django.conf import settings

    return f"{settings.PUBLIC_BASE_URL}/lacak/{surat.permohonan.nomor_registrasi}/"
