#!/usr/bin/env python3
"""Set-up and run on a fresh clone with nothing but Python 3.11+.

    python3 dev.py start   # venv, dependencies, database, demo data, server on http://127.0.0.1:8000
    python3 dev.py test    # venv, dependencies, the whole test suite

Only the standard library is used here: this runs before anything is installed.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def siapkan(requirements: str):
    if sys.version_info < (3, 11):
        sys.exit(f"Simpatik butuh Python 3.11 atau lebih baru (ini {sys.version.split()[0]}).")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when the requirement files changed since the last install.
    jejak = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in ("requirements.txt", requirements))).hexdigest()
    penanda = VENV / f".terpasang-{requirements}"
    if not penanda.exists() or penanda.read_text() != jejak:
        run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
        penanda.write_text(jejak)


def start(argv):
    siapkan("requirements.txt")
    run(PY, "manage.py", "migrate", "--noinput")
    run(PY, "manage.py", "seed_demo")
    alamat = argv[0] if argv else "127.0.0.1:8000"
    print(f"\nSimpatik berjalan di http://{alamat}/  (Ctrl+C untuk berhenti)\n", flush=True)
    os.execv(str(PY), [str(PY), "manage.py", "runserver", alamat])


def test(argv):
    siapkan("requirements-dev.txt")
    os.execv(str(PY), [str(PY), "-m", "pytest", *argv])


if __name__ == "__main__":
    perintah = {"start": start, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in perintah:
        sys.exit(__doc__)
    perintah[sys.argv[1]](sys.argv[2:])
