"""A local stand-in for BSrE's signing API, served over real HTTP on 127.0.0.1 for the tests.

It speaks the API as layanan/surat/tte/bsre.py calls it (multipart sign and verify, signer status,
HTTP basic client credentials), signs with a test CA's certificates through pyHanko, and can answer
each failure: wrong passphrase, signer not registered, certificate expired or revoked, down (503),
unreachable (stopped).
"""

import base64
import datetime
import io
import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ID_KLIEN, RAHASIA_KLIEN = "simpatik-uji", "rahasia-klien-uji"


def _nama(cn, ou="Balai Sertifikasi Elektronik"):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Badan Siber dan Sandi Negara"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


class BSrEPalsu:
    def __init__(self):
        sekarang = datetime.datetime.now(datetime.UTC)
        self.kunci_ca = ec.generate_private_key(ec.SECP256R1())
        nama_ca = _nama("OSD BSrE Palsu")
        self.ca = (x509.CertificateBuilder().subject_name(nama_ca).issuer_name(nama_ca)
                   .public_key(self.kunci_ca.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(sekarang - datetime.timedelta(days=10))
                   .not_valid_after(sekarang + datetime.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                                key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                key_cert_sign=True, crl_sign=True, encipher_only=False,
                                                decipher_only=False), critical=True)
                   .sign(self.kunci_ca, hashes.SHA256()))
        self.pengguna = {}  # nik -> {"passphrase", "nama", "status", "signer", "serial"}
        self.mati = False
        self.panggilan = []  # (method, path, fields without the passphrase)
        self.server = None

    @property
    def akar(self):
        return asn1_x509.Certificate.load(self.ca.public_bytes(serialization.Encoding.DER))

    def daftarkan(self, nik, passphrase, nama, status="ISSUE"):
        """Register a signer: a key and a certificate issued by the test CA."""
        from pyhanko.sign.signers import SimpleSigner

        sekarang = datetime.datetime.now(datetime.UTC)
        kunci = ec.generate_private_key(ec.SECP256R1())
        serial = x509.random_serial_number()
        sertifikat = (x509.CertificateBuilder().subject_name(_nama(nama, "Pemerintah Kota Pekalongan"))
                      .issuer_name(self.ca.subject).public_key(kunci.public_key()).serial_number(serial)
                      .not_valid_before(sekarang - datetime.timedelta(days=1))
                      .not_valid_after(sekarang + datetime.timedelta(days=365))
                      .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                      .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                                   key_encipherment=False, data_encipherment=False,
                                                   key_agreement=False, key_cert_sign=False, crl_sign=False,
                                                   encipher_only=False, decipher_only=False), critical=True)
                      .sign(self.kunci_ca, hashes.SHA256()))
        isi = pkcs12.serialize_key_and_certificates(b"ttd", kunci, sertifikat, [self.ca],
                                                    serialization.BestAvailableEncryption(b"p12"))
        signer = SimpleSigner.load_pkcs12_data(isi, other_certs=(), passphrase=b"p12")
        self.pengguna[nik] = {"passphrase": passphrase, "nama": nama, "status": status, "signer": signer,
                              "serial": serial}
        return sertifikat

    # --- server ---

    def mulai(self, port=0):
        palsu = self

        class Penangan(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                palsu._tangani(self, "GET")

            def do_POST(self):
                palsu._tangani(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Penangan)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def berhenti(self):
        self.server.shutdown()
        self.server.server_close()

    # --- handling ---

    def _jawab(self, h, kode, isi, jenis="application/json"):
        data = isi if isinstance(isi, bytes) else json.dumps(isi).encode()
        h.send_response(kode)
        h.send_header("Content-Type", jenis)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _tangani(self, h, metode):
        badan = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        url = urlparse(h.path)
        harapan = "Basic " + base64.b64encode(f"{ID_KLIEN}:{RAHASIA_KLIEN}".encode()).decode()
        if h.headers.get("Authorization") != harapan:
            return self._jawab(h, 401, b"", "text/plain")
        if self.mati:
            return self._jawab(h, 503, b"<html>Service Unavailable</html>", "text/html")
        if metode == "GET" and url.path == "/api/v2/user/check/status":
            nik = parse_qs(url.query).get("nik", [""])[0]
            u = self.pengguna.get(nik)
            self.panggilan.append(("GET", url.path, {"nik": nik}))
            if u is None:
                return self._jawab(h, 404, {"status_code": 1111, "message": "NIK tidak terdaftar", "status": "NOT_REGISTERED"})
            return self._jawab(h, 200, {"status_code": 1111, "message": "OK", "status": u["status"]})
        bidang = self._multipart(h.headers.get("Content-Type", ""), badan)
        self.panggilan.append((metode, url.path, {k: v for k, v in bidang.items() if k != "passphrase"}))
        if metode == "POST" and url.path == "/api/v2/sign/pdf":
            return self._tanda_tangan(h, bidang)
        if metode == "POST" and url.path == "/api/v2/verify/pdf":
            return self._verifikasi(h, bidang)
        return self._jawab(h, 404, {"error": "Not found", "status_code": 404})

    @staticmethod
    def _multipart(jenis, badan):
        if not jenis.startswith("multipart/"):
            return {}
        pesan = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + jenis.encode() + b"\r\n\r\n" + badan)
        hasil = {}
        for bagian in pesan.iter_parts():
            nama = bagian.get_param("name", header="content-disposition")
            isi = bagian.get_payload(decode=True)
            hasil[nama] = isi if bagian.get_filename() else isi.decode()
        return hasil

    def _tanda_tangan(self, h, bidang):
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        u = self.pengguna.get(bidang.get("nik", ""))
        if u is None:
            return self._jawab(h, 400, {"error": "NIK tidak terdaftar", "status_code": 1111})
        if bidang.get("passphrase") != u["passphrase"]:
            return self._jawab(h, 400, {"error": "Passphrase anda salah", "status_code": 2031})
        if u["status"] == "EXPIRED":
            return self._jawab(h, 400, {"error": "Sertifikat pengguna sudah kedaluwarsa", "status_code": 2021})
        if u["status"] == "REVOKED":
            return self._jawab(h, 400, {"error": "Sertifikat pengguna telah dicabut (revoke)", "status_code": 2022})
        berkas = bidang.get("file[]")
        if not isinstance(berkas, bytes) or not berkas.startswith(b"%PDF"):
            return self._jawab(h, 400, {"error": "Dokumen tidak valid", "status_code": 2001})
        spesifikasi = None
        if bidang.get("tampilan") == "VISIBLE":
            x, y = float(bidang["xAxis"]), float(bidang["yAxis"])
            spesifikasi = fields.SigFieldSpec("TTE-BSrE", on_page=int(bidang["page"]) - 1,
                                              box=(x, y, x + float(bidang["width"]), y + float(bidang["height"])))
        meta = signers.PdfSignatureMetadata(field_name="TTE-BSrE", subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=bidang.get("reason"),
                                            location=bidang.get("location"))
        keluaran = signers.PdfSigner(meta, signer=u["signer"], new_field_spec=spesifikasi).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(berkas)))
        return self._jawab(h, 200, keluaran.getvalue(), "application/pdf")

    def _verifikasi(self, h, bidang):
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        berkas = bidang.get("signed_file")
        daftar = PdfFileReader(io.BytesIO(berkas)).embedded_signatures if isinstance(berkas, bytes) else []
        if not daftar:
            return self._jawab(h, 200, {"conclusion": "NO_SIGNATURE", "description": "Dokumen tidak bertanda tangan",
                                        "signatureInformations": []})
        info = []
        for ttd in daftar:
            status = validate_pdf_signature(ttd, ValidationContext(trust_roots=[self.akar]))
            pemilik = next((u for u in self.pengguna.values() if u["serial"] == ttd.signer_cert.serial_number), None)
            info.append({
                "signerName": ttd.signer_cert.subject.native.get("common_name"),
                "signatureDate": ttd.self_reported_timestamp.isoformat() if ttd.self_reported_timestamp else None,
                "integrityValid": bool(status.intact and status.valid),
                "certificateTrusted": bool(status.trusted),
                "certificateRevoked": bool(pemilik and pemilik["status"] == "REVOKED"),
                "certificateExpired": bool(pemilik and pemilik["status"] == "EXPIRED"),
            })
        baik = all(i["integrityValid"] and i["certificateTrusted"] and not i["certificateRevoked"] for i in info)
        return self._jawab(h, 200, {
            "conclusion": "VALID" if baik else "INVALID",
            "description": "Dokumen valid, sertifikat terpercaya" if baik else "Tanda tangan tidak valid",
            "signatureInformations": info,
        })
