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
    if sys.version_info < (3, 11):  # noqa: UP036 - says so plainly to whoever runs an older Python
        sys.exit(f"Simpatik butuh Python 3.11 atau lebih baru (ini {sys.version.split()[0]}).")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when the requirement files changed since the last install.
    jejak = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in ("requirements.txt", requirements))).hexdigest()
    penanda = VENV / f".terpasang-{requirements}"
    if not penanda.exists() or penanda.read_text() != jejak:
        run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
        penanda.write_text(jejak)


def _alamat_lan() -> str:
    """This machine's address on its network (what a phone scanning a QR code can reach); no packet is sent."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def lingkungan_start(alamat: str, environ=os.environ) -> dict:
    """Development settings for the server at `alamat` (HOST:PORT or PORT): DEBUG on, and links and QR
    codes built on the address actually served unless PUBLIC_BASE_URL says otherwise."""
    host, _, port = alamat.rpartition(":")
    host = host or "127.0.0.1"
    tampil = _alamat_lan() if host in ("0.0.0.0", "::", "[::]") else host
    env = dict(environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("PUBLIC_BASE_URL", f"http://{tampil}:{port}")
    if "ALLOWED_HOSTS" not in env:
        # Served on every interface: any host name reaches it (development only, DEBUG is on).
        semua = host in ("0.0.0.0", "::", "[::]")
        env["ALLOWED_HOSTS"] = "*" if semua else ",".join(dict.fromkeys([tampil.strip("[]"), "127.0.0.1", "localhost"]))
    return env


def start(argv):
    siapkan("requirements.txt")
    alamat = argv[0] if argv else "127.0.0.1:8000"
    if ":" not in alamat:
        alamat = f"127.0.0.1:{alamat}"
    env = lingkungan_start(alamat)
    run(PY, "manage.py", "migrate", "--noinput", env=env)
    run(PY, "manage.py", "seed_demo", env=env)
    print(f"\nSimpatik berjalan di {env['PUBLIC_BASE_URL']}/  (Ctrl+C untuk berhenti)\n", flush=True)
    os.execve(str(PY), [str(PY), "manage.py", "runserver", alamat], env)


def test(argv):
    siapkan("requirements-dev.txt")
    os.environ.setdefault("DEBUG", "1")
    os.execv(str(PY), [str(PY), "-m", "pytest", *argv])


if __name__ == "__main__":
    perintah = {"start": start, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in perintah:
        sys.exit(__doc__)
    perintah[sys.argv[1]](sys.argv[2:])
