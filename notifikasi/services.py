"""Writing messages to the outbox. The relay (tasks.py) sends them after commit."""

from django.db import transaction
from django.template import Context, Template

from notifikasi.models import Outbox, TemplatPesan


def _render(templat_kode: str, variabel: dict) -> str:
    templat = TemplatPesan.objects.filter(kode=templat_kode, aktif=True).first()
    if templat is None:
        raise ValueError(f"templat pesan {templat_kode!r} tidak ada atau tidak aktif")
    return Template(templat.isi).render(Context(variabel, autoescape=False))


def outbox_tulis(
    *, penerima: str, templat: str, variabel: dict, referensi: str = "", kanal: str = Outbox.Kanal.WHATSAPP
) -> Outbox:
    """Write one message in the caller's transaction; it is handed to the relay only if that commits."""
    pesan = Outbox.objects.create(
        penerima=penerima,
        kanal=kanal,
        templat=templat,
        variabel=variabel,
        isi=_render(templat, variabel),
        referensi=referensi,
    )
    transaction.on_commit(lambda: _antrikan(pesan.pk))
    return pesan


def _antrikan(outbox_id: int):
    from notifikasi.tasks import kirim_pesan

    kirim_pesan.delay(outbox_id)
