"""Twilio webhooks. Both check X-Twilio-Signature against the public URL before reading anything."""

import logging
from functools import wraps

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from notifikasi import obrolan
from notifikasi.models import Outbox
from notifikasi.services import outbox_status_penyedia, pesan_masuk_terima
from notifikasi.telepon import normalisasi_hp

log = logging.getLogger("notifikasi")
CALLBACK_COBA_LAGI_DETIK = 30


def _tanda_tangan_sah(request) -> bool:
    # Behind a proxy request.build_absolute_uri() may not be what Twilio signed; PUBLIC_BASE_URL is.
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    tanda = request.headers.get("X-Twilio-Signature", "")
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), tanda)


def webhook_twilio(view):
    """POST only, no CSRF token (Twilio has none), 403 unless Twilio signed it; 503 with Retry-After
    while the database is unreachable (an outage, not a bug: no traceback, worth retrying)."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def dibungkus(request):
        if not _tanda_tangan_sah(request):
            return HttpResponseForbidden("tanda tangan tidak sah")
        try:
            return view(request)
        except (OperationalError, InterfaceError) as exc:
            log.warning("webhook %s: basis data tidak terjangkau (%s); dijawab 503", request.path, exc)
            return HttpResponse("basis data tidak tersedia", status=503, content_type="text/plain",
                                headers={"Retry-After": str(CALLBACK_COBA_LAGI_DETIK)})

    return dibungkus


@webhook_twilio
def twilio_status(request):
    pesan_id = request.GET.get("pesan", "")
    outbox_status_penyedia(
        sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        kode_galat=request.POST.get("ErrorCode", ""),
        pesan_id=int(pesan_id) if pesan_id.isdigit() else None,
    )
    return HttpResponse("", content_type="text/plain")


@webhook_twilio
def twilio_masuk(request):
    dari = request.POST.get("From", "")
    kanal = Outbox.Kanal.WHATSAPP if dari.startswith("whatsapp:") else Outbox.Kanal.SMS
    jawaban = MessagingResponse()
    try:
        balasan = pesan_masuk_terima(dari=dari, isi=request.POST.get("Body", ""), kanal=kanal)
    except ValueError:
        log.warning("pesan masuk dari nomor yang tidak dikenali")
        balasan = None
    if balasan:
        jawaban.message(balasan)
    elif balasan is None and kanal == Outbox.Kanal.WHATSAPP and dari:
        # Everything but BERHENTI/MULAI is the conversation; its replies go through the outbox.
        try:
            no_hp = normalisasi_hp(dari)
        except ValueError:
            return HttpResponse(str(jawaban), content_type="application/xml")
        masuk = obrolan.Masuk(no_hp=no_hp, teks=request.POST.get("Body", ""),
                              payload=request.POST.get("ButtonPayload") or request.POST.get("ListId") or "")
        media = request.POST.get("MediaUrl0", "") if request.POST.get("NumMedia", "0") not in ("", "0") else ""
        obrolan.terima(masuk, media_url=media)
    return HttpResponse(str(jawaban), content_type="application/xml")
