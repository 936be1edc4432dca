"""`python -m bench <command> [options]`: one runner for every benchmark (see bench/run_all.py for `all`)."""

import importlib
import sys

PERINTAH = {
    "generate": "bench.generate",
    "http": "bench.http_load",
    "audit": "bench.audit_append",
    "merkle": "bench.audit_merkle",
    "sweep": "bench.sla_sweep",
    "indikator": "bench.indikator",
    "surat": "bench.surat",
    "outbox": "bench.outbox",
    "halaman": "bench.halaman",
    "profil": "bench.profil",
    "instruksi": "bench.instruksi",
    "all": "bench.run_all",
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in PERINTAH:
        print("usage: python -m bench {" + ",".join(PERINTAH) + "} [options]   (each accepts --help)")
        return 2
    modul = importlib.import_module(PERINTAH[sys.argv[1]])
    modul.main(sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
