"""The survey after service: one per finished request, by its owner, anonymous to officers."""

import io

import pytest
from django.core.cache import cache

from audit.models import AuditEvent
from integritas.models import Survei
from integritas.services import survei_tautan
from layanan.models import Permohonan
from tests.factories import MEDONO, Dunia
from tests.pembantu_ttd import lihat_draf_api
from tests.test_api_lifecycle import ajukan_domisili, aksi, klien

IKM = {"persyaratan": 4, "prosedur": 4, "waktu": 3, "biaya": 4, "produk": 4, "kompetensi": 4, "perilaku": 4,
       "pengaduan": 3, "sarana": 4}
IPAK = {"diskriminasi": 4, "kecurangan": 4, "gratifikasi": 4, "pungli": 4, "percaloan": 4}
IPKP = {"informasi": 4, "persyaratan": 4, "prosedur": 4, "waktu": 4, "biaya": 4, "sarana": 3, "petugas": 4,
        "pengaduan": 4}


@pytest.fixture
def dunia(db):
    cache.clear()
    return Dunia()


def _selesai(dunia) -> Permohonan:
    pk = ajukan_domisili(dunia).json()["id"]
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    lihat_draf_api(klien(dunia.lurah_medono), pk)
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 200
    return Permohonan.objects.get(pk=pk)


def _isi(p, **lain):
    return {"nomor_registrasi": p.nomor_registrasi, "ikm": IKM, "ipak": IPAK, "ipkp": IPKP, "diminta_bayar": False,
            **lain}


def test_pemilik_mengisi_sekali_dan_tersimpan_tanpa_identitas(dunia):
    p = _selesai(dunia)
    r = klien(dunia.warga.user).post("/api/v1/survei/", _isi(p), format="json")
    assert r.status_code == 201, r.content
    s = Survei.objects.get()
    assert (s.kelurahan, s.kecamatan, s.kota, s.layanan) == (MEDONO, "33.75.01", "33.75", "domisili")
    assert (s.ikm_waktu, s.ikm_pengaduan, s.ipkp_sarana) == (3, 3, 3)
    # Nothing stored points back at the resident or the request.
    nama_bidang = {f.name for f in Survei._meta.fields}
    assert not nama_bidang & {"user", "warga", "pemohon", "permohonan", "permohonan_id", "nomor_registrasi"}
    teks = [str(getattr(s, f)) for f in ("kunci", "kelurahan", "layanan", "kepada_bayar", "saran")]
    for rahasia in (str(p.pk), p.nomor_registrasi, dunia.warga.nik):
        assert not any(rahasia == t or (len(rahasia) > 3 and rahasia in t) for t in teks)
    event = AuditEvent.objects.get(kategori="survei")
    assert (event.rantai, event.objek_id, event.ip, event.aktor) == ("survei", "", None, "")
    assert p.nomor_registrasi not in str(event.data)
    r = klien(dunia.warga.user).post("/api/v1/survei/", _isi(p), format="json")
    assert r.status_code == 409
    assert Survei.objects.count() == 1


def test_bukan_pemilik_atau_belum_selesai_ditolak(dunia):
    p = _selesai(dunia)
    lain = klien(dunia.warga_lain.user).post("/api/v1/survei/", _isi(p), format="json")
    assert lain.status_code == 404
    assert klien().post("/api/v1/survei/", _isi(p), format="json").status_code == 403
    pk = ajukan_domisili(dunia).json()["id"]
    belum = Permohonan.objects.get(pk=pk)
    assert klien(dunia.warga.user).post("/api/v1/survei/", _isi(belum), format="json").status_code == 409
    # An officer is not the resident.
    assert klien(dunia.lurah_medono).post("/api/v1/survei/", _isi(p), format="json").status_code == 403
    assert Survei.objects.count() == 0


def test_skor_salah_400_per_bidang_dan_tidak_ada_yang_tersimpan(dunia):
    p = _selesai(dunia)
    r = klien(dunia.warga.user).post(
        "/api/v1/survei/", _isi(p, ikm={**IKM, "waktu": 5}, ipak={k: v for k, v in IPAK.items() if k != "pungli"}),
        format="json")
    assert r.status_code == 400
    galat = r.json()
    assert set(galat) == {"ikm.waktu", "ipak.pungli"}
    assert "1 sampai 4" in galat["ikm.waktu"][0]
    r = klien(dunia.warga.user).post("/api/v1/survei/", _isi(p, ikm={**IKM, "kecepatan": 4}), format="json")
    assert r.status_code == 400 and "kecepatan" in r.json()["ikm"][0]
    assert Survei.objects.count() == 0 and not AuditEvent.objects.filter(kategori="survei").exists()


def test_unsur_dicocokkan_menurut_nama(dunia):
    p = _selesai(dunia)
    terbalik = dict(reversed(list(IKM.items())))
    assert klien(dunia.warga.user).post("/api/v1/survei/", _isi(p, ikm=terbalik), format="json").status_code == 201
    s = Survei.objects.get()
    assert (s.ikm_pengaduan, s.ikm_sarana) == (3, 4)


def test_tautan_undangan_whatsapp(dunia):
    p = _selesai(dunia)
    tautan = survei_tautan(p)
    assert tautan.startswith("http://") and "/survei/" in tautan
    token = tautan.rstrip("/").rsplit("/", 1)[-1]
    palsu = klien().post("/api/v1/survei/", {**_isi(p), "token": token[:-2] + "xx"}, format="json")
    assert palsu.status_code == 404
    r = klien().post("/api/v1/survei/", {**_isi(p), "token": token}, format="json")
    assert r.status_code == 201, r.content
    assert klien().post("/api/v1/survei/", {**_isi(p), "token": token}, format="json").status_code == 409


def test_diminta_bayar_dan_indikator(dunia):
    p = _selesai(dunia)
    r = klien(dunia.warga.user).post(
        "/api/v1/survei/", _isi(p, diminta_bayar=True, jumlah_bayar=20000, kepada_bayar="orang di loket"),
        format="json")
    assert r.status_code == 201
    s = Survei.objects.get()
    assert (s.diminta_bayar, s.jumlah_bayar, s.kepada_bayar) == (True, 20000, "orang di loket")
    hasil = klien(dunia.camat).get("/api/v1/indikator/", {"wilayah": MEDONO}).json()
    assert hasil["survei"] == {"responden": 1, "diminta_bayar": 1}
    assert hasil["bebas_pungli"] == 0.0
    assert hasil["ikm"]["nilai"] == 94.44  # (7×4 + 2×3)/9 × 25
    assert hasil["permohonan"]["selesai"] == 1


def test_kuesioner_dengan_kata_peraturan(dunia):
    k = klien().get("/api/v1/survei/").json()
    assert [b["kunci"] for b in k["ikm"]][:2] == ["persyaratan", "prosedur"]
    biaya = next(b for b in k["ikm"] if b["kunci"] == "biaya")
    assert biaya["pilihan"] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert len(k["ipak"]) == 5 and len(k["ipkp"]) == 8


def test_riwayat_demo_berisi_survei_dan_pengaduan(db):
    """The demo history gets surveys and handled complaints, so the dashboards show real figures."""
    from datetime import date

    import time_machine
    from django.core.management import call_command

    from audit.selectors import rantai_verifikasi
    from integritas.demo import integritas_demo_buat
    from integritas.indikator import indikator_hitung
    from integritas.models import Pengaduan
    from layanan.demo.riwayat import KELURAHAN_DEMO, riwayat_demo_buat
    from tests.pembantu_indikator import PEKALONGAN_BARAT, wib

    call_command("seed_demo", "--tanpa-riwayat", "--force", stdout=io.StringIO())  # the demo's offices, officers
    with time_machine.travel(wib(2026, 11, 20, 10), tick=False):
        riwayat_demo_buat(jumlah=30, seed=7, sejak=date(2026, 6, 1))
        hasil = integritas_demo_buat(kelurahan=list(KELURAHAN_DEMO), seed=7)
    assert hasil["survei"] == Survei.objects.count() > 5
    assert hasil["pengaduan"] == Pengaduan.objects.count() == 5
    assert Pengaduan.objects.filter(status="selesai").count() == 2
    assert rantai_verifikasi("survei").utuh and rantai_verifikasi("pengaduan").utuh
    angka = indikator_hitung(wilayah=PEKALONGAN_BARAT, dari=date(2026, 1, 1), sampai=date(2026, 11, 20))
    assert angka["ikm"]["responden"] == hasil["survei"]
    assert angka["ikm"]["mutu"] in {"A", "B", "C"}
    assert angka["pengaduan"]["total"] == 5


def test_halaman_survei_dari_tautan_whatsapp(client, dunia):
    p = _selesai(dunia)
    url = survei_tautan(p).replace("http://127.0.0.1:8000", "")
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Sangat mahal" in html and 'name="ikm_biaya"' in html and 'name="ipak_pungli"' in html
    isian = {f"ikm_{k}": v for k, v in IKM.items()} | {f"ipak_{k}": v for k, v in IPAK.items()}
    isian |= {f"ipkp_{k}": v for k, v in IPKP.items()}
    kurang = {k: v for k, v in isian.items() if k != "ikm_waktu"}
    r = client.post(url, {**kurang, "diminta_bayar": "tidak"})
    assert r.status_code == 400 and "1 sampai 4" in r.content.decode()
    assert Survei.objects.count() == 0
    r = client.post(url, {**isian, "diminta_bayar": "ya", "jumlah_bayar": "15000", "kepada_bayar": "calo"})
    assert r.status_code == 200 and "Terima kasih" in r.content.decode()
    s = Survei.objects.get()
    assert (s.ikm_waktu, s.diminta_bayar, s.jumlah_bayar) == (3, True, 15000)
    assert client.post(url, {**isian, "diminta_bayar": "tidak"}).status_code == 409
    assert client.get(url[:-3] + "xx/").status_code == 404
