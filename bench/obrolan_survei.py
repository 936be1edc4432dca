"""The chat survey on the seed_demo database: every finished, unsurveyed request answered through the real
webhook (signed as Twilio signs), against the web-link answers seed_demo made. Prints the sample before
and after, and the cost per chat survey (messages, queries, milliseconds).

    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 python manage.py seed_demo
    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 python -m bench.obrolan_survei

The respondents' behaviour is not measured here (no resident exists in a demo): the script answers every
question of every invitation, so "after" is the ceiling the chat allows, and the web figure is
seed_demo's own draw (integritas/demo.py, porsi_survei). What it does measure is that each chat survey
lands as one anonymous row, and what one costs the server.
"""

import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from audit.enkripsi import indeks_hp  # noqa: E402
from integritas import ikm  # noqa: E402
from integritas.models import Survei  # noqa: E402
from layanan.models import Permohonan, Status  # noqa: E402
from notifikasi.models import Outbox  # noqa: E402

TOKEN = "bench-token"
JALUR = "/notifikasi/twilio/masuk/"


def main():
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.NOTIFIKASI_BACKEND = "console"
    settings.OBROLAN_PESAN_PER_MENIT = 10_000
    settings.ALLOWED_HOSTS = ["*"]
    klien = Client()
    acak = random.Random(21)
    selesai = Permohonan.objects.filter(status=Status.SELESAI)
    populasi = selesai.count()
    sebelum = Survei.objects.count()
    nomor = sorted(set(selesai.values_list("pemohon__no_hp", flat=True)))
    waktu_pesan, kueri_pesan, pesan_per_survei = [], [], []

    def kirim(hp, **data):
        data = {"From": f"whatsapp:{hp}", "Body": "", "NumMedia": "0", **data}
        tanda = RequestValidator(TOKEN).compute_signature(settings.PUBLIC_BASE_URL + JALUR, data)
        reset_queries()  # the query log keeps 9,000 entries; count from an empty one each time
        with CaptureQueriesContext(connection) as kueri:
            mulai = time.perf_counter()
            r = klien.post(JALUR, data, HTTP_X_TWILIO_SIGNATURE=tanda)
            waktu_pesan.append(time.perf_counter() - mulai)
        kueri_pesan.append(len(kueri))
        assert r.status_code == 200, r.content
        return Outbox.objects.filter(penerima_indeks=indeks_hp(hp)).order_by("-pk").first()

    for hp in nomor:
        while True:
            b = kirim(hp, ButtonPayload="SURVEI")
            pesan = 1
            while b.templat in ("obrolan_survei_tanya", "obrolan_survei_bayar"):
                if b.templat == "obrolan_survei_bayar":
                    b = kirim(hp, ButtonPayload="YA" if acak.random() < 0.03 else "TIDAK")
                else:
                    b = kirim(hp, ListId=str(acak.choice((3, 3, 4, 4, 2))))
                pesan += 1
            if b.templat != "obrolan_survei_selesai":
                break
            pesan_per_survei.append(pesan)
    sesudah = Survei.objects.count()
    minimum = ikm.sampel_minimum(populasi)
    print(f"selesai (populasi): {populasi}; sampel minimum Krejcie-Morgan: {minimum}")
    print(f"survei lewat tautan web (seed_demo): {sebelum} = {sebelum / populasi:.0%}")
    print(f"survei lewat obrolan, semua pertanyaan dijawab: +{sesudah - sebelum}; total {sesudah} = "
          f"{sesudah / populasi:.0%}")
    if pesan_per_survei:
        print(f"pesan masuk per survei obrolan: {statistics.mean(pesan_per_survei):.0f}; "
              f"kueri per pesan: median {statistics.median(kueri_pesan)}, maks {max(kueri_pesan)}; "
              f"waktu per pesan: median {statistics.median(waktu_pesan) * 1000:.0f} ms, "
              f"p95 {sorted(waktu_pesan)[int(len(waktu_pesan) * 0.95)] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
