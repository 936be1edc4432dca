"""Public pages: catalogue, tracking, officer sign-in with lockout, language switch."""

import pytest

from audit.models import AuditEvent
from layanan.permohonan import services
from tests.factories import MEDONO, PASSWORD, Dunia, unggahan


@pytest.fixture
def dunia(db):
    d = Dunia()
    d.medono.maklumat = "Kami sanggup menyelenggarakan pelayanan sesuai standar."
    d.medono.save()
    return d


def ajukan(dunia, warga=None):
    warga = warga or dunia.warga
    return services.permohonan_ajukan(
        pengaju=warga.user, layanan=dunia.domisili, kelurahan=MEDONO, keperluan="Melamar pekerjaan",
        data={"lama_tinggal": 5}, berkas={"pengantar_rt": unggahan(), "ktp": unggahan("ktp.pdf")},
        identitas={"nama": "Siti Aminah", "alamat": "Jl. Medono 5"},
    )


def test_beranda_shows_catalogue_free_of_charge_sla_and_maklumat(client, dunia, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        r = client.get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Gratis — tidak dipungut biaya" in html
    assert "Surat Keterangan Domisili" in html and "Selesai dalam 8 jam kerja" in html
    # Short on a phone (issue 18, item 5): names grouped by signer; requirements on the service's page.
    assert "Ditandatangani lurah" in html and "Surat pengantar RT/RW" not in html
    assert '<a href="/layanan/domisili/">Surat Keterangan Domisili</a>' in html
    assert "<details class=\"maklumat\" open" not in html
    assert "Kami sanggup menyelenggarakan pelayanan sesuai standar." in html
    assert "Laporkan pungli" in html
    assert 'lang="id"' in html


def test_service_page_and_search(client, dunia):
    html = client.get("/layanan/domisili/").content.decode()
    assert "Surat pengantar RT/RW" in html and "Selesai dalam 8 jam kerja" in html
    assert 'href="/layanan/domisili/ajukan/"' in html and "Gratis — tidak dipungut biaya" in html
    assert client.get("/layanan/tidak-ada/").status_code == 404
    hasil = client.get("/", {"cari": "domisili"}).content.decode()
    assert "/layanan/domisili/" in hasil and "/layanan/ahli-waris/" not in hasil
    kosong = client.get("/", {"cari": "<b>zzz"}).content.decode()
    assert "Tidak ada layanan yang cocok dengan “&lt;b&gt;zzz”." in kosong


def test_beranda_in_english_after_language_switch(client, dunia):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = r.content.decode()
    assert 'lang="en"' in html
    assert "Free of charge" in html
    assert "Completed within 8 working hours" in html


def test_lacak_shows_status_and_timeline_without_personal_data(client, dunia):
    p = ajukan(dunia)
    r = client.get("/lacak/", {"nomor_registrasi": p.nomor_registrasi.replace("-", "").lower()})
    assert r.status_code == 302 and r["Location"] == f"/lacak/{p.nomor_registrasi}/"
    html = client.get(r["Location"]).content.decode()
    assert p.nomor_registrasi in html and "Diajukan" in html and "Surat Keterangan Domisili" in html
    assert "Siti" not in html and dunia.warga.nik not in html and dunia.warga.nik[:6] + "••" not in html
    assert "Melamar pekerjaan" not in html


def test_lacak_unknown_number_is_404_and_malformed_is_400(client, dunia):
    assert client.get("/lacak/ABCD-EFGH/").status_code == 404
    r = client.get("/lacak/", {"nomor_registrasi": "00O1"})
    assert r.status_code == 400
    assert "Nomor registrasi tidak dikenal" in r.content.decode()


def test_petugas_masuk_audited_and_locked_after_failures(client, dunia, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        r = client.post("/masuk/petugas/", {"username": "petugas.medono", "password": "salah"})
        assert r.status_code == 400
        assert "Nama pengguna atau kata sandi salah." in r.content.decode()
    r = client.post("/masuk/petugas/", {"username": "petugas.medono", "password": "salah"})
    assert r.status_code == 429
    assert "Akun terkunci sementara" in r.content.decode()
    # Even the right password is refused while locked.
    r = client.post("/masuk/petugas/", {"username": "petugas.medono", "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    gagal = AuditEvent.objects.filter(kategori="autentikasi", aksi="gagal_masuk")
    assert gagal.count() >= 3 and gagal.first().data["username"] == "petugas.medono"


def test_petugas_masuk_then_keluar(client, dunia):
    r = client.post("/masuk/petugas/", {"username": "petugas.medono", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/petugas/"
    assert AuditEvent.objects.filter(kategori="autentikasi", aksi="masuk", aktor="petugas.medono").exists()
    assert "Daftar kerja" in client.get("/petugas/").content.decode()
    r = client.post("/keluar/petugas/")
    assert r.status_code == 302
    assert client.get("/petugas/").status_code == 302


def test_every_input_has_a_label(client, dunia):
    import re

    client.force_login(dunia.warga.user)
    for url in ["/", "/lacak/", "/layanan/domisili/ajukan/", "/masuk/petugas/"]:
        html = client.get(url).content.decode()
        for m in re.finditer(r"<(input|select|textarea)\b([^>]*)>", html):
            attrs = m.group(2)
            if 'type="hidden"' in attrs or 'type="submit"' in attrs:
                continue
            ident = re.search(r'id="([^"]+)"', attrs)
            assert ident, (url, m.group(0))
            assert f'for="{ident.group(1)}"' in html, (url, m.group(0))


