"""SLA clock of requests on fixed, real dates (time-machine). The arithmetic of each case is
in its comments; the default calendar is Mon–Thu 07.30–16.00 (break 12–13), Fri 07.30–16.30
(break 11.30–13), i.e. 7.5 working hours a day."""

from datetime import date, time

import time_machine

from kelurahan.models import HariLibur, JamLayanan
from layanan.models import Permohonan, Status
from layanan.permohonan.sla import filter_sla, sla_ringkasan, sla_status
from tests.sla.bantu import JAM, KOMPENSASI_MEDONO, ajukan, buat_layanan, transisi, wib


def pada(waktu, fungsi, *args):
    with time_machine.travel(waktu, tick=False):
        return fungsi(*args)


def segar(p):
    return Permohonan.objects.select_related("layanan").get(pk=p.pk)


def test_friday_afternoon_submission_one_working_day(wilayah, kantor, warga):
    # Fri 6 Nov 2026 14.00, allowance 7.5 h: Friday 14.00–16.30 = 2.5 h; Monday 07.30–12.00 = 4.5 h
    # (7 h), 13.00–13.30 = 0.5 h → tenggat Mon 9 Nov 13.30. 75 % = 5.625 h: 2.5 h + 3 h 7.5 min → 10.37.30.
    domisili = buat_layanan("domisili", "7.5")
    p, data = ajukan(domisili, wilayah["medono"], warga, wib(2026, 11, 6, 14))
    assert p.tenggat == wib(2026, 11, 9, 13, 30)
    assert p.tenggat_rawan == wib(2026, 11, 9, 10, 37, 30)
    assert data["jatah_detik"] == 7.5 * JAM and data["status"] == "aman" and data["tahap"] == "kelurahan"

    assert pada(wib(2026, 11, 8, 20), sla_status, p) == "aman"  # the weekend does not count
    assert pada(wib(2026, 11, 9, 10, 37, 30), sla_status, p) == "rawan"
    assert pada(wib(2026, 11, 9, 13, 30), sla_status, p) == "terlambat"
    ringkasan = pada(wib(2026, 11, 9, 9), sla_ringkasan, p)
    assert ringkasan["terpakai_jam"] == {"kelurahan": 4.0, "kecamatan": 0.0}  # 2.5 Fri + 1.5 Mon
    assert ringkasan["tenggat"] == "2026-11-09T13:30:00+07:00"

    qs = Permohonan.objects.all()
    for saat, nilai in ((wib(2026, 11, 9, 9), "aman"), (wib(2026, 11, 9, 11), "rawan"), (wib(2026, 11, 9, 14), "terlambat")):
        assert {v: list(filter_sla(qs, v, saat)) for v in ("aman", "rawan", "terlambat")} == {
            v: ([p] if v == nilai else []) for v in ("aman", "rawan", "terlambat")
        }

    # Verified Monday 09.00 and signed 13.00: 2.5 + 1.5 + 3 + 0 = 7 h ≤ 7.5 h.
    transisi(p, "verifikasi", wib(2026, 11, 9, 9))
    p, data = transisi(p, "setujui", wib(2026, 11, 9, 13))
    assert p.status == Status.SELESAI and p.terpakai_kelurahan_detik == 7 * JAM
    assert p.memenuhi_standar is True and data["memenuhi_standar"] is True
    assert sla_status(p) == "tepat"
    assert list(filter_sla(Permohonan.objects.all(), "terlambat", wib(2026, 11, 20))) == []


def test_request_spanning_idul_fitri_2026_and_cuti_bersama(wilayah, kantor, warga):
    # Tue 17 March 10.00, 15 h: 10–12 + 13–16 = 5 h; 18 (cuti Nyepi), 19 (Nyepi), 20 (cuti),
    # 21–22 (Idul Fitri, weekend), 23–24 (cuti) closed; Wed 25: 7.5 h (12.5); Thu 26 07.30 + 2.5 h = 10.00.
    skt = buat_layanan("sktm", 15)
    p, _ = ajukan(skt, wilayah["medono"], warga, wib(2026, 3, 17, 10))
    assert p.tenggat == wib(2026, 3, 26, 10)
    assert pada(wib(2026, 3, 24, 23), sla_ringkasan, p)["terpakai_jam"]["kelurahan"] == 5.0
    # Verified Wed 25 at 11.00 (5 + 3.5), signed at 15.00 (+3) = 11.5 h.
    transisi(p, "verifikasi", wib(2026, 3, 25, 11))
    p, _ = transisi(p, "setujui", wib(2026, 3, 25, 15))
    assert p.terpakai_kelurahan_detik == 11.5 * JAM and p.memenuhi_standar is True


def test_submission_outside_office_hours_and_on_sunday(wilayah, kantor, warga):
    domisili = buat_layanan("domisili", "7.5")
    malam, _ = ajukan(domisili, wilayah["medono"], warga, wib(2026, 11, 10, 21))  # Tuesday 21.00
    assert malam.tenggat == wib(2026, 11, 11, 16)  # the clock starts Wed 07.30: a full day
    minggu, _ = ajukan(domisili, wilayah["medono"], warga, wib(2026, 11, 8, 10))  # Sunday
    assert minggu.tenggat == wib(2026, 11, 9, 16)
    assert pada(wib(2026, 11, 9, 7, 29), sla_ringkasan, minggu)["terpakai_jam"]["kelurahan"] == 0.0
    assert pada(wib(2026, 11, 9, 8), sla_ringkasan, minggu)["terpakai_jam"]["kelurahan"] == 0.5


def test_pause_and_resume_around_perlu_perbaikan(wilayah, kantor, warga):
    # 15 h. Mon 9 Nov 08.00 → asked to fix at 10.00 (2 h used). Resident resubmits Wed 14.00:
    # paused Mon 10–12 + 13–16, Tue 7.5, Wed 07.30–12 + 13–14 = 18 h. Remaining 13 h from Wed 14.00:
    # Wed 2 h, Thu 7.5 h, Fri 07.30 + 3.5 h = 11.00 → tenggat Fri 13 Nov 11.00.
    skt = buat_layanan("sktm", 15)
    p, _ = ajukan(skt, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    assert p.tenggat == wib(2026, 11, 11, 8)
    p, data = transisi(p, "minta_perbaikan", wib(2026, 11, 9, 10))
    assert p.terpakai_kelurahan_detik == 2 * JAM
    assert p.tenggat is None and p.tenggat_rawan is None and data["berjalan"] is False
    assert pada(wib(2026, 11, 12), sla_status, p) == "aman"  # no deadline runs while paused
    assert pada(wib(2026, 11, 10, 12), sla_ringkasan, p)["jeda_jam"] == 9.5  # 5 Mon + 4.5 Tue (07.30–12.00) so far

    p, data = transisi(p, "ajukan_ulang", wib(2026, 11, 11, 14))
    assert p.jeda_detik == 18 * JAM and data["jeda_jam"] == 18.0
    assert p.terpakai_kelurahan_detik == 2 * JAM
    assert p.tenggat == wib(2026, 11, 13, 11)
    # 75 % = 11.25 h: 9.25 h more from Wed 14.00: Wed 2, Thu 7.25 → Thu 07.30 + 7 h 15 min = 15.45.
    assert p.tenggat_rawan == wib(2026, 11, 12, 15, 45)


def test_paused_after_crossing_stays_rawan(wilayah, kantor, warga):
    domisili = buat_layanan("domisili", 4)
    p, _ = ajukan(domisili, wilayah["medono"], warga, wib(2026, 11, 9, 8))  # rawan at 3 h: 11.00
    p, _ = transisi(p, "minta_perbaikan", wib(2026, 11, 9, 11, 30))
    assert p.tenggat_rawan == wib(2026, 11, 9, 11) and p.tenggat is None
    assert pada(wib(2026, 11, 20), sla_status, p) == "rawan"
    assert list(filter_sla(Permohonan.objects.all(), "rawan", wib(2026, 11, 20))) == [p]


def test_kecamatan_request_runs_on_two_calendars(wilayah, kantor, warga):
    # Kecamatan office: Mon–Fri 08–15, Sat 08–12, closed Tue 10 Nov (local). Medono closed Wed 11 Nov.
    for hari in range(5):
        JamLayanan.objects.create(kantor=kantor["kecamatan"], hari=hari, mulai=time(8), selesai=time(15))
    JamLayanan.objects.create(kantor=kantor["kecamatan"], hari=5, mulai=time(8), selesai=time(12))
    HariLibur.objects.create(kantor=kantor["kecamatan"], tanggal=date(2026, 11, 10), nama="Hari jadi kecamatan")
    HariLibur.objects.create(kantor=kantor["medono"], tanggal=date(2026, 11, 11), nama="Sedekah bumi Medono")
    waris = buat_layanan("ahli-waris", "22.5", tingkat="kecamatan", jam_kelurahan="7.5", jam_kecamatan=15)

    p, _ = ajukan(waris, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    # On the kelurahan calendar: Mon 7, Tue 7.5, (Wed closed), Thu 7.5, Fri 07.30–08.00 → Fri 08.00.
    assert p.tenggat == wib(2026, 11, 13, 8)
    # Expected finish: kelurahan share 7.5 h → Tue 08.00; then 15 h at the kecamatan:
    # Tue closed there, Wed 7, Thu 7, Fri 08–09 → Fri 09.00.
    assert sla_ringkasan(p, wib(2026, 11, 9, 8))["perkiraan_selesai"] == "2026-11-13T09:00:00+07:00"

    transisi(p, "verifikasi", wib(2026, 11, 9, 11))
    p, data = transisi(p, "setujui", wib(2026, 11, 9, 15))  # forwarded: kelurahan used 4 + 2 = 6 h
    assert p.status == Status.DITERUSKAN_KECAMATAN and p.terpakai_kelurahan_detik == 6 * JAM
    # 16.5 h left on the kecamatan calendar from Mon 15.00: Tue closed, Wed 7 (Medono's holiday
    # does not close the kecamatan), Thu 7, Fri 08.00 + 2.5 h → 10.30.
    assert p.tenggat == wib(2026, 11, 13, 10, 30)
    # 75 % = 16.875 h: 10.875 h left → Wed 7, Thu 08.00 + 3 h 52.5 min = 11.52.30.
    assert p.tenggat_rawan == wib(2026, 11, 12, 11, 52, 30)
    assert data["tahap"] == "kecamatan"

    transisi(p, "verifikasi_kecamatan", wib(2026, 11, 12, 10))  # Wed 7 + Thu 2 = 9 h
    p, data = transisi(p, "setujui_camat", wib(2026, 11, 13, 9))  # + Thu 5 + Fri 1 = 15 h
    assert (p.terpakai_kelurahan_detik, p.terpakai_kecamatan_detik) == (6 * JAM, 15 * JAM)
    assert p.memenuhi_standar is True
    assert sla_ringkasan(p)["terpakai_jam"] == {"kelurahan": 6.0, "kecamatan": 15.0}
    assert data["jatah_kelurahan_detik"] == 7.5 * JAM and data["jatah_kecamatan_detik"] == 15 * JAM


def test_kembalikan_resumes_the_kelurahan_clock(wilayah, kantor, warga):
    waris = buat_layanan("ahli-waris", "22.5", tingkat="kecamatan", jam_kelurahan="7.5", jam_kecamatan=15)
    p, _ = ajukan(waris, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    transisi(p, "verifikasi", wib(2026, 11, 9, 9))
    transisi(p, "setujui", wib(2026, 11, 9, 10))  # kelurahan 2 h
    Permohonan.objects.filter(pk=p.pk).update(sla_tingkat_diberitahu=1)
    p, _ = transisi(p, "kembalikan", wib(2026, 11, 9, 14))  # kecamatan 10–12 + 13–14 = 3 h
    assert p.status == Status.DIAJUKAN
    assert (p.terpakai_kelurahan_detik, p.terpakai_kecamatan_detik) == (2 * JAM, 3 * JAM)
    assert p.sla_tingkat_diberitahu == 0  # the kelurahan officers are told afresh
    # Nothing is reset: 17.5 h left from Mon 14.00: Mon 2, Tue 7.5, Wed 7.5, Thu 07.30 + 0.5 h = 08.00.
    assert p.tenggat == wib(2026, 11, 12, 8)


def test_missed_standard_records_the_office_compensation(wilayah, kantor, warga):
    domisili = buat_layanan("domisili", 2)
    p, _ = ajukan(domisili, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    transisi(p, "verifikasi", wib(2026, 11, 9, 9))
    p, data = transisi(p, "setujui", wib(2026, 11, 9, 14))  # 4 + 1 = 5 h > 2 h
    assert p.memenuhi_standar is False and data["memenuhi_standar"] is False
    assert p.kompensasi == KOMPENSASI_MEDONO
    ringkasan = sla_ringkasan(segar(p))
    assert ringkasan["status"] == "terlambat" and ringkasan["kompensasi"] == KOMPENSASI_MEDONO
    assert ringkasan["perkiraan_selesai"] == "2026-11-09T14:00:00+07:00"


def test_cancelled_request_is_not_measured(wilayah, kantor, warga):
    domisili = buat_layanan("domisili", 1)
    p, _ = ajukan(domisili, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    p, data = transisi(p, "batalkan", wib(2026, 11, 10, 8))
    assert p.memenuhi_standar is None and sla_status(p) == "selesai" and "kompensasi" not in sla_ringkasan(p)


def test_local_holiday_added_by_admin_moves_open_deadlines(wilayah, kantor, warga, admin_client):
    # 15 h from Mon 9 Nov 08.00: Mon 7, Tue 7.5, Wed 07.30–08.00 → Wed 11 Nov 08.00.
    skt = buat_layanan("sktm", 15)
    medono, _ = ajukan(skt, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    tirto, _ = ajukan(skt, wilayah["tirto"], warga, wib(2026, 11, 9, 8))
    dijeda, _ = ajukan(skt, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    transisi(dijeda, "minta_perbaikan", wib(2026, 11, 9, 9))
    assert medono.tenggat == tirto.tenggat == wib(2026, 11, 11, 8)

    with time_machine.travel(wib(2026, 11, 9, 10), tick=False):
        jawab = admin_client.post(
            "/admin/kelurahan/harilibur/add/",
            {"tanggal": "2026-11-10", "nama": "Sedekah bumi", "kantor": kantor["medono"].pk},
        )
    assert jawab.status_code == 302, jawab.content
    # Medono: Mon 7, (Tue closed), Wed 7.5, Thu 07.30–08.00 → Thu 08.00. Tirto unchanged.
    assert segar(medono).tenggat == wib(2026, 11, 12, 8)
    assert segar(tirto).tenggat == wib(2026, 11, 11, 8)
    assert segar(dijeda).tenggat is None

    with time_machine.travel(wib(2026, 11, 9, 10), tick=False):
        semua = HariLibur.objects.create(kantor=None, tanggal=date(2026, 11, 11), nama="Libur kota")
    assert segar(medono).tenggat == wib(2026, 11, 13, 8)  # Tue, Wed closed: Thu 7.5, Fri 07.30–08.00
    assert segar(tirto).tenggat == wib(2026, 11, 12, 8)

    with time_machine.travel(wib(2026, 11, 9, 10), tick=False):
        semua.delete()
    assert segar(medono).tenggat == wib(2026, 11, 12, 8)
    assert segar(tirto).tenggat == wib(2026, 11, 11, 8)


def test_through_the_api_and_permohonan_aksi(db):
    """The real stack: submission and actions over HTTP, layanan/services.py calling the hook."""
    from audit.models import AuditEvent
    from tests.factories import Dunia
    from tests.pembantu_ttd import lihat_draf_api
    from tests.test_api_lifecycle import ajukan_domisili, aksi, klien

    dunia = Dunia()
    dunia.medono.kompensasi = KOMPENSASI_MEDONO
    dunia.medono.save()
    # Domisili: 8 h. Fri 6 Nov 14.00: Fri 2.5, Mon 07.30–12.00 4.5, 13.00–14.00 1 → Mon 9 Nov 14.00;
    # 75 % = 6 h → Mon 11.00.
    with time_machine.travel(wib(2026, 11, 6, 14), tick=False):
        r = ajukan_domisili(dunia)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["tenggat"] == "2026-11-09T14:00:00+07:00"
    assert r.json()["sla"]["status"] == "aman"

    petugas = klien(dunia.petugas_medono)
    with time_machine.travel(wib(2026, 11, 9, 11, 30), tick=False):
        daftar = {v: petugas.get(f"/api/v1/permohonan/?sla={v}").json()["count"] for v in ("aman", "rawan", "terlambat")}
        assert daftar == {"aman": 0, "rawan": 1, "terlambat": 0}
        assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    with time_machine.travel(wib(2026, 11, 9, 14, 30), tick=False):
        assert petugas.get("/api/v1/permohonan/?sla=terlambat").json()["count"] == 1
        lihat_draf_api(klien(dunia.lurah_medono), pk)
        r = aksi(dunia.lurah_medono, pk, "setujui")
    assert r.status_code == 200, r.content
    # 2.5 + 4.5 + 1.5 = 8.5 h > 8 h: the standard was missed and the promised compensation recorded.
    sla = klien(dunia.warga.user).get(f"/api/v1/permohonan/{pk}/").json()["sla"]
    assert sla["status"] == "terlambat" and sla["memenuhi_standar"] is False
    assert sla["terpakai_jam"] == {"kelurahan": 8.5, "kecamatan": 0.0}
    assert sla["kompensasi"] == KOMPENSASI_MEDONO
    akhir = AuditEvent.objects.filter(objek_id=str(pk), kategori="transisi").order_by("-urutan").first()
    assert akhir.data["sla"]["memenuhi_standar"] is False
    assert akhir.data["sla"]["terpakai_kelurahan_detik"] == 8.5 * JAM and akhir.data["sla"]["jatah_detik"] == 8 * JAM


def test_ramadan_hours_entered_by_the_admin_move_open_deadlines(wilayah, kantor, warga, admin_client):
    # 15 h from Mon 2 March 2026 08.00 on the usual week: Mon 08–12, 13–16 = 7; Tue 7.5; Wed 07.30–08.00.
    skt = buat_layanan("sktm", 15)
    medono, _ = ajukan(skt, wilayah["medono"], warga, wib(2026, 3, 2, 8))
    tirto, _ = ajukan(skt, wilayah["tirto"], warga, wib(2026, 3, 2, 8))
    assert medono.tenggat == tirto.tenggat == wib(2026, 3, 4, 8)
    isian = {
        "nama": "Jam kerja Ramadan 1447 H", "mulai": "2026-02-19", "selesai": "2026-03-19",
        "dasar": "SE MenPANRB tentang jam kerja ASN pada bulan Ramadan", "kantor": "",
        "jam-TOTAL_FORMS": "10", "jam-INITIAL_FORMS": "0", "jam-MIN_NUM_FORMS": "0", "jam-MAX_NUM_FORMS": "1000",
    }
    baris = [(h, "08:00", "12:00") for h in range(4)] + [(h, "12:30", "15:00") for h in range(4)]
    baris += [(4, "08:00", "11:30"), (4, "12:30", "15:30")]
    for i, (hari, mulai, selesai) in enumerate(baris):
        isian.update({f"jam-{i}-hari": str(hari), f"jam-{i}-mulai": mulai, f"jam-{i}-selesai": selesai})
    with time_machine.travel(wib(2026, 3, 2, 9), tick=False):
        jawab = admin_client.post("/admin/kelurahan/jamkhusus/add/", isian)
    assert jawab.status_code == 302, jawab.content
    # Ramadan: Mon 08–12, 12.30–15 = 6.5; Tue 6.5 → 13; Wed 08.00–10.00 → Wed 4 March 10.00 (both offices).
    assert segar(medono).tenggat == segar(tirto).tenggat == wib(2026, 3, 4, 10)


def test_half_day_closure_moves_open_deadlines(wilayah, kantor, warga):
    # 15 h from Mon 9 Nov 08.00: Wed 11 Nov 08.00. Medono closes Tuesday at 12.00: Mon 7, Tue 4.5, Wed 3.5 → 11.00.
    skt = buat_layanan("sktm", 15)
    medono, _ = ajukan(skt, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    tirto, _ = ajukan(skt, wilayah["tirto"], warga, wib(2026, 11, 9, 8))
    with time_machine.travel(wib(2026, 11, 9, 10), tick=False):
        HariLibur.objects.create(kantor=kantor["medono"], tanggal=date(2026, 11, 10), nama="Rapat koordinasi kota",
                                 tutup_pukul=time(12))
    assert segar(medono).tenggat == wib(2026, 11, 11, 11)
    assert segar(tirto).tenggat == wib(2026, 11, 11, 8)


def test_hours_to_the_hundredth_half_up_by_integers_equal_the_decimal_form():
    """`_jam` counts whole seconds with integers (a worklist page shows six a row): the same float as rounding
    Decimal(seconds) / 3600 to 0.01 half up, ties included (18 s is 0.005 h), over every second of a long SLA."""
    from decimal import ROUND_HALF_UP, Decimal

    from layanan.permohonan.sla import _jam

    def desimal(d):
        return float((Decimal(d) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    for detik in [*range(0, 200_000), 10**9, 2**31 - 1]:
        assert _jam(detik) == desimal(detik), detik
    assert _jam(18) == 0.01 and _jam(17) == 0.0 and _jam(54) == 0.02  # the half-way seconds round up
    assert _jam(-18) == desimal(-18) == -0.01  # anything else still takes the Decimal path
    assert _jam(Decimal("5400.5")) == desimal(Decimal("5400.5"))
