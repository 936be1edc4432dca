"""First middleware: the client's real address (behind TRUSTED_PROXIES only) and the request id;
and the pages' language (BahasaMiddleware)."""

import ipaddress
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from config.log import id_permintaan
from kelurahan.simpanan import versi_tetap
from layanan.api.masukan import KARAKTER_KENDALI, pesan_kendali

_ID_SAH = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _ip(teks: str):
    try:
        return ipaddress.ip_address(teks.strip())
    except ValueError:
        return None


class Proksi:
    """TRUSTED_PROXIES: a count of proxies in front ("1"), or their addresses and networks."""

    def __init__(self, nilai: str):
        self.jumlah = int(nilai) if nilai.isdigit() else None
        self.jaringan = [] if self.jumlah is not None else [
            ipaddress.ip_network(bagian.strip(), strict=False) for bagian in nilai.split(",") if bagian.strip()
        ]

    def dipercaya(self, alamat) -> bool:
        return alamat is not None and any(alamat in jaringan for jaringan in self.jaringan)

    def klien(self, remote_addr: str, xff: str) -> str:
        """The client's address: the hop just before the trusted proxies. Anything a client wrote
        further left in X-Forwarded-For is ignored."""
        rantai = [b.strip() for b in xff.split(",") if b.strip()] + [remote_addr]
        if self.jumlah is not None:
            if self.jumlah == 0:
                return remote_addr
            calon = rantai[max(len(rantai) - 1 - self.jumlah, 0)]
        else:
            calon = remote_addr
            for alamat in reversed(rantai):
                calon = alamat
                if not self.dipercaya(_ip(alamat)):
                    break
        return calon if _ip(calon) is not None else remote_addr


class PermintaanMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.proksi = Proksi(settings.TRUSTED_PROXIES) if settings.TRUSTED_PROXIES else None

    def __call__(self, request):
        meta = request.META
        dari_proksi = self.proksi is not None and (
            self.proksi.jumlah is not None or self.proksi.dipercaya(_ip(meta.get("REMOTE_ADDR", "")))
        )
        if dari_proksi and meta.get("HTTP_X_FORWARDED_FOR"):
            meta["REMOTE_ADDR"] = self.proksi.klien(meta.get("REMOTE_ADDR", ""), meta["HTTP_X_FORWARDED_FOR"])
        diterima = meta.get("HTTP_X_REQUEST_ID", "") if dari_proksi else ""
        rid = diterima if _ID_SAH.match(diterima) else uuid.uuid4().hex
        # Left set until the response is closed (request_finished), so Django's own "Not Found" and
        # "Internal Server Error" lines, logged after the middleware returns, carry it too.
        id_permintaan.set(rid)
        with versi_tetap():  # master-data version tokens: one cache round trip per request (kelurahan/simpanan.py)
            respons = self.get_response(request)
        respons["X-Request-ID"] = rid
        return respons


def _lepas_id(**kwargs):
    id_permintaan.set("-")


request_finished.connect(_lepas_id, dispatch_uid="simpatik_lepas_id_permintaan")


class BahasaMiddleware(LocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the person chose English (the language cookie set by the
    switcher): a phone set to English must not switch an Indonesian resident's pages (issue 18, item 6).
    The API keeps reading Accept-Language, as DESIGN.md's contract says."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        pilihan = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        bahasa = pilihan if pilihan in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(bahasa)
        request.LANGUAGE_CODE = translation.get_language()


class KueriApiMiddleware:
    """The API refuses a query string holding control characters (NUL among them) with 400 and a message
    per parameter, before any view reads it: a filter value with NUL reaches PostgreSQL otherwise, which
    cannot even compare such a text (a 500). Bodies are checked by the API's parsers (layanan/api/masukan.py),
    and the HTML pages' forms refuse NUL themselves. Placed after the language middleware: the message
    speaks the caller's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/") and request.GET:
            galat = {kunci: [pesan_kendali()] for kunci, nilai in request.GET.lists()
                     if KARAKTER_KENDALI.search(kunci) or any(KARAKTER_KENDALI.search(n) for n in nilai)}
            if galat:
                return JsonResponse({KARAKTER_KENDALI.sub("?", k): v for k, v in galat.items()}, status=400)
        return self.get_response(request)
