"""A fake Twilio Messages API on 127.0.0.1 for fault injection, reached through TWILIO_API_BASE_URL.

It makes messages the way Twilio does (a ContentSid is rendered into `body` from
the approved text it was given) and can misbehave per request: accept and then
reset the connection, hang (before or after accepting), answer 5xx or 429. The
list endpoint filters on To, From and DateSent (`DateSent`, `DateSent<`,
`DateSent>`; a message not yet sent has no date_sent) and pages with
`next_page_uri`, newest first, as Twilio does.
"""

import itertools
import json
import re
import socket
import struct
import threading
import time
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

_nomor_sid = itertools.count(1)

TERIMA = "terima"
TERIMA_LALU_PUTUS = "terima_lalu_putus"  # the message is made, the answer never comes (connection reset)
TERIMA_LALU_GANTUNG = "terima_lalu_gantung"  # the message is made, then no answer until the client gives up
GANTUNG = "gantung"  # nothing is made, no answer
TERIMA_LALU_500 = "terima_lalu_500"  # an edge answers 500 after Twilio made the message
GALAT_500 = "galat_500"
GALAT_503 = "galat_503"
GALAT_429 = "galat_429"


class TwilioTiruan:
    def __init__(self, *, akun: str, gantung_detik: float = 3.0):
        self.akun = akun
        self.gantung_detik = gantung_detik
        self.pesan: list[dict] = []
        self.konten: dict[str, str] = {}  # ContentSid -> approved text with {{1}}, {{2}} ...
        self.skenario: list[str] = []  # one mode per POST, consumed in order; TERIMA when empty
        self.setelah_terima = None  # hook(pesan dict), e.g. to stop Redis mid-run
        self.jumlah_post = 0
        self.jumlah_get = 0
        self._kunci = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._penangan())
        self._server.daemon_threads = True
        self._benang = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def mulai(self):
        self._benang.start()
        return self

    def berhenti(self):
        self._server.shutdown()
        self._server.server_close()

    def hitung(self, to: str, body: str) -> int:
        """How many messages Twilio made for this recipient with this text."""
        return sum(1 for p in self.pesan if p["to"] == to and p["body"] == body)

    # --- what Twilio does -------------------------------------------------------------------------

    def _buat(self, kolom: dict) -> dict:
        if "ContentSid" in kolom:
            nilai = json.loads(kolom.get("ContentVariables", "{}"))
            body = re.sub(r"\{\{(\d+)\}\}", lambda m: nilai.get(m.group(1), ""), self.konten[kolom["ContentSid"]])
        else:
            body = kolom.get("Body", "")
        sekarang = datetime.now(UTC)
        pesan = {
            "sid": f"SM{next(_nomor_sid):032x}",
            "account_sid": self.akun,
            "to": kolom["To"],
            "from": kolom.get("From"),
            "messaging_service_sid": kolom.get("MessagingServiceSid"),
            "body": body,
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "date_created": sekarang,
            "date_updated": sekarang,
            "date_sent": None,
        }
        with self._kunci:
            self.pesan.append(pesan)
        if self.setelah_terima:
            self.setelah_terima(pesan)
        return pesan

    def tandai_terkirim(self):
        """Twilio hands every queued message to the carrier: date_sent is set."""
        for p in self.pesan:
            if p["date_sent"] is None:
                p["status"], p["date_sent"] = "sent", datetime.now(UTC)

    def _json(self, p: dict) -> dict:
        ubah = {k: format_datetime(v) if isinstance(v, datetime) else v for k, v in p.items()}
        return {**ubah, "uri": f"/2010-04-01/Accounts/{self.akun}/Messages/{p['sid']}.json"}

    def _daftar(self, jalur: str, q: dict) -> dict:
        pilih = list(reversed(self.pesan))  # newest first
        if "To" in q:
            pilih = [p for p in pilih if p["to"] == q["To"]]
        if "From" in q:
            pilih = [p for p in pilih if p["from"] == q["From"]]
        for kunci, banding in (("DateSent", date.__eq__), ("DateSent<", date.__le__), ("DateSent>", date.__ge__)):
            if kunci in q:
                batas = date.fromisoformat(q[kunci][:10])
                pilih = [p for p in pilih if p["date_sent"] and banding(p["date_sent"].date(), batas)]
        ukuran = int(q.get("PageSize", 50))
        halaman = int(q.get("Page", 0))
        isi = pilih[halaman * ukuran : (halaman + 1) * ukuran]
        dasar = {k: v for k, v in q.items() if k not in ("Page", "PageToken")}

        def uri(n):
            return f"{jalur}?{urlencode({**dasar, 'Page': n, 'PageToken': f'PA{n}'})}"

        return {
            "messages": [self._json(p) for p in isi],
            "page": halaman,
            "page_size": ukuran,
            "start": halaman * ukuran,
            "end": halaman * ukuran + max(len(isi) - 1, 0),
            "uri": uri(halaman),
            "first_page_uri": uri(0),
            "previous_page_uri": uri(halaman - 1) if halaman else None,
            "next_page_uri": uri(halaman + 1) if (halaman + 1) * ukuran < len(pilih) else None,
        }

    # --- HTTP -----------------------------------------------------------------------------------------

    def _penangan(self):
        tiruan = self

        class Penangan(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _jawab(self, status: int, isi: dict):
                data = json.dumps(isi).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _putus(self):
                """Reset the connection (RST), as a dropped link or a proxy restart does."""
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def _galat(self, status, kode, pesan):
                self._jawab(status, {"code": kode, "message": pesan, "status": status, "more_info": ""})

            def do_POST(self):
                panjang = int(self.headers.get("Content-Length", 0))
                kolom = {k: v[0] for k, v in parse_qs(self.rfile.read(panjang).decode()).items()}
                with tiruan._kunci:
                    tiruan.jumlah_post += 1
                    cara = tiruan.skenario.pop(0) if tiruan.skenario else TERIMA
                if cara == GALAT_500:
                    return self._galat(500, 20500, "Internal Server Error")
                if cara == GALAT_503:
                    return self._galat(503, 20503, "Service Unavailable")
                if cara == GALAT_429:
                    return self._galat(429, 20429, "Too Many Requests")
                if cara == GANTUNG:
                    time.sleep(tiruan.gantung_detik)
                    return self._putus()
                pesan = tiruan._buat(kolom)
                if cara == TERIMA_LALU_PUTUS:
                    return self._putus()
                if cara == TERIMA_LALU_GANTUNG:
                    time.sleep(tiruan.gantung_detik)
                    return self._putus()
                if cara == TERIMA_LALU_500:
                    return self._galat(500, 20500, "Internal Server Error")
                self._jawab(201, tiruan._json(pesan))

            def do_GET(self):
                bagian = urlsplit(self.path)
                with tiruan._kunci:
                    tiruan.jumlah_get += 1
                if not bagian.path.endswith("/Messages.json"):
                    return self._galat(404, 20404, "not found")
                self._jawab(200, tiruan._daftar(bagian.path, {k: v[0] for k, v in parse_qs(bagian.query).items()}))

        return Penangan
