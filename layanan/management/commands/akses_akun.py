"""`manage.py akses_akun <username> --dari YYYY-MM-DD --sampai YYYY-MM-DD`: what one account read.

For a suspected breach (docs/operations.md "Kebocoran data pribadi"): every audited access to
personal data by that account in the period (request pages, revealed NIK/number, opened documents,
draft previews, exports, correction decisions), the requests involved, and the scope it could have
listed. Read from the audit ledger; run `audit_verify` first so the answer rests on a verified chain."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from layanan.pdp.selectors import akses_akun


def _tanggal(teks, nama):
    try:
        hari = datetime.date.fromisoformat(teks)
    except (TypeError, ValueError):
        raise CommandError(f"--{nama}: tanggal TTTT-BB-HH") from None
    return timezone.make_aware(datetime.datetime.combine(hari, datetime.time()))


class Command(BaseCommand):
    help = "Daftar akses data pribadi oleh satu akun dalam rentang waktu (dari log audit), untuk penanganan kebocoran."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--dari", required=True, help="TTTT-BB-HH (termasuk)")
        parser.add_argument("--sampai", required=True, help="TTTT-BB-HH (tidak termasuk)")
        parser.add_argument("--json", action="store_true", help="keluaran JSON (untuk laporan)")

    def handle(self, *args, **opts):
        pengguna = get_user_model().objects.filter(username=opts["username"]).first()
        if pengguna is None:
            raise CommandError(f"akun {opts['username']!r} tidak ada")
        dari, sampai = _tanggal(opts["dari"], "dari"), _tanggal(opts["sampai"], "sampai")
        if sampai <= dari:
            raise CommandError("--sampai harus setelah --dari")
        hasil = akses_akun(pengguna, dari=dari, sampai=sampai)
        baris = [{"waktu": timezone.localtime(e.waktu).isoformat(), "rantai": e.rantai, "urutan": e.urutan,
                  "aksi": e.aksi, "objek": f"{e.objek_tipe}:{e.objek_id}" if e.objek_tipe else "",
                  "nomor_registrasi": e.data.get("nomor_registrasi", ""), "ip": e.ip or "",
                  "rincian": {k: v for k, v in e.data.items() if k in ("nama", "jenis", "baris", "objek", "berkas")}}
                 for e in hasil["kejadian"]]
        if opts["json"]:
            self.stdout.write(json.dumps({
                "akun": pengguna.get_username(), "dari": opts["dari"], "sampai": opts["sampai"], "kejadian": baris,
                "permohonan": hasil["permohonan"], "lingkup_kantor": hasil["lingkup_kantor"],
                "lingkup_permohonan": hasil["lingkup_permohonan"]}, ensure_ascii=False, indent=2))
            return
        for b in baris:
            self.stdout.write(f"{b['waktu']}  {b['aksi']:<18} {b['nomor_registrasi'] or b['objek']}  "
                              f"{b['rantai']}#{b['urutan']} {b['ip']}"
                              + (f"  {json.dumps(b['rincian'], ensure_ascii=False)}" if b["rincian"] else ""))
        self.stdout.write(
            f"{len(baris)} akses tercatat; {len(hasil['permohonan'])} permohonan dibuka: "
            f"{', '.join(hasil['permohonan']) or '-'}.\n"
            f"Lingkup akun (dapat dilihat di daftar kerja, tersamar): kantor {', '.join(hasil['lingkup_kantor']) or '-'}, "
            f"{hasil['lingkup_permohonan']} permohonan diajukan sebelum {opts['sampai']}.")
