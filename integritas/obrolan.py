"""The survey and the complaint of the WhatsApp conversation (ports of notifikasi/obrolan.py).

Both end in the same service the web uses: `survei_simpan` (anonymous, once per request, audited) and
`pengaduan_ajukan` (tracking code, evidence checked by its bytes, audited). Registered in
IntegritasConfig.ready.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.enkripsi import indeks_hp, saring_indeks
from integritas import ikm, services
from integritas.models import Survei
from layanan.models import Permohonan, Status

BAGIAN = (("ikm", ikm.UNSUR_IKM), ("ipak", ikm.ITEM_IPAK), ("ipkp", ikm.ITEM_IPKP))


def survei_buka(*, no_hp: str) -> int | None:
    """The latest finished request of this number whose survey is not answered yet (its id)."""
    selesai = (Permohonan.objects.filter(**saring_indeks("pemohon__no_hp_indeks", indeks_hp, no_hp), status=Status.SELESAI)
               .order_by("-selesai_pada", "-pk").values_list("pk", flat=True)[:20])
    kunci = {services.kunci_samaran(pk, tujuan="survei"): pk for pk in selesai}
    sudah = set(Survei.objects.filter(kunci__in=kunci).values_list("kunci", flat=True))
    return next((pk for k, pk in kunci.items() if k not in sudah), None)


def survei_butir(*, bahasa: str) -> list[dict]:
    """The web form's questionnaire (ikm.kuesioner) in its order: nine unsur, IPAK, IPKP, "asked to pay?"."""
    with translation.override(bahasa):
        k = ikm.kuesioner()
    butir = [{"kunci": f"{bagian}.{b['kunci']}", "pertanyaan": b["label"], "pilihan": b["pilihan"]}
             for bagian, _kunci in BAGIAN for b in k[bagian]]
    return [*butir, {"kunci": "diminta_bayar", "pertanyaan": k["diminta_bayar"], "pilihan": None}]


def survei_kirim(*, ref: int, jawaban: dict) -> bool:
    """Store the answers as the web form does; False when this request's survey exists already."""
    p = Permohonan.objects.select_related("layanan").filter(pk=ref, status=Status.SELESAI).first()
    if p is None:
        return False
    bagian = {nama: {k: jawaban[f"{nama}.{k}"] for k in kunci} for nama, kunci in BAGIAN}
    try:
        services.survei_simpan(permohonan_id=p.pk, kelurahan=p.kelurahan_id, layanan=p.layanan.kode, **bagian,
                               diminta_bayar=jawaban["diminta_bayar"], profil={})
    except services.SudahDiisi:
        return False
    return True


def lapor_simpan(*, no_hp: str, kategori: str, isi: str, bukti, anonim: bool) -> tuple[str, str]:
    """File the complaint; anonymous ones keep no number. ValueError with the reason when refused."""
    try:
        pengaduan = services.pengaduan_ajukan(kategori=kategori, isi=isi, kontak="" if anonim else no_hp,
                                              bukti=bukti)
    except services.DataTidakValid as e:
        raise ValueError(" ".join(str(p) for pesan in e.galat.values() for p in pesan)) from e
    tautan = settings.PUBLIC_BASE_URL + reverse("integritas:pengaduan_status", kwargs={"kode": pengaduan.kode_lacak})
    return pengaduan.kode_lacak, tautan
