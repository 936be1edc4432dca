"""Shared by the bench commands: Django set-up, the machine's description, tables, percentiles."""

import functools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

AKAR = Path(__file__).resolve().parent.parent
DOKUMEN = AKAR / "docs" / "benchmarks.md"
DB_BAWAAN = "postgres://postgres@127.0.0.1:5432/simpatik_bench"


def biaya_buat_berkas(induk: str, n: int = 200) -> float:
    """CPU µs (user + system) to create, write 3 KB to and close one new file in `induk`: what storing an
    upload costs the filesystem there, before the application's own work."""
    import resource
    import secrets
    import shutil

    uji = tempfile.mkdtemp(prefix="simpatik-uji-buat-", dir=induk)
    try:
        awal = resource.getrusage(resource.RUSAGE_SELF)
        for _ in range(n):
            fd = os.open(os.path.join(uji, secrets.token_hex(16)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, b"x" * 3000)
            os.close(fd)
        akhir = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        shutil.rmtree(uji, ignore_errors=True)
    return ((akhir.ru_utime - awal.ru_utime) + (akhir.ru_stime - awal.ru_stime)) / n * 1e6


@functools.cache
def _pilih_induk_media() -> tuple[str, float]:
    calon = []
    for induk in (str(AKAR / "var"), tempfile.gettempdir(), "/dev/shm"):
        try:
            os.makedirs(induk, exist_ok=True)
            calon.append((biaya_buat_berkas(induk), induk))
        except OSError:
            continue
    biaya, induk = min(calon)
    return induk, biaya


def induk_media() -> str:
    """Where the bench's uploads are written: BENCH_MEDIA_INDUK, or else whichever of the checkout's `var/`,
    the system's temporary folder and /dev/shm creates a file for the least CPU, measured (`biaya_buat_berkas`).

    A file creation on a server's own disk costs tens of µs. On the shared machines here one folder can cost
    30 to 80 times that, and not the same one from machine to machine: in session 8 /tmp cost 895 µs and the
    checkout 18 µs; in session 9 the checkout cost 620–800 µs, /tmp 22–100 µs and /dev/shm 10 µs. With three
    uploads a submission, a bench bound to one folder measured the machine, not the application
    (docs/benchmarks.md, sessions 8 and 9). `keterangan_media()` says which folder was used and its cost.
    """
    induk = os.environ.get("BENCH_MEDIA_INDUK")
    if induk:
        os.makedirs(induk, exist_ok=True)
        return induk
    return _pilih_induk_media()[0]


def keterangan_media() -> str:
    induk = induk_media()
    return f"uploads under {induk}, where creating a 3 KB file cost {biaya_buat_berkas(induk):.0f} µs of CPU"


def siapkan_django():
    """Benchmarks run on PostgreSQL only, with the bench settings (baseline app included)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DATABASE_URL", DB_BAWAAN)
    # In-process commands keep the development settings they were measured with (DEBUG is off by default
    # since issue 15); bench http's gunicorn and bench halaman set DEBUG=0 themselves.
    os.environ.setdefault("DEBUG", "1")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("bench: DATABASE_URL harus PostgreSQL (postgres://...)")
    if str(AKAR) not in sys.path:
        sys.path.insert(0, str(AKAR))
    import django

    django.setup()


def siapkan_django_produksi():
    """In-process commands that time pages (halaman, profil): production-like settings (DEBUG off,
    templates cached), then Django, then the static files collected as an install does (DEBUG off
    names them by their hashed copies, config/statis.py)."""
    import secrets

    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("STATIC_BROTLI", "0")
    # The generator sealed with the development data keys (DEBUG on); DEBUG off would have none.
    # (Importing config sets DJANGO_SETTINGS_MODULE for Celery: name the bench settings first.)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from config.settings import _DEV_DATA_KEY, _DEV_INDEX_KEY

    os.environ.setdefault("DATA_KEYS", _DEV_DATA_KEY)
    os.environ.setdefault("BLIND_INDEX_KEY", _DEV_INDEX_KEY)
    sys.modules.pop("config.settings", None)  # imported above with DEBUG off: read again with the keys
    siapkan_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def pastikan_database():
    """Create the bench database if missing and bring it to the current migrations."""
    import psycopg
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db["PASSWORD"] or None, dbname="postgres", autocommit=True) as k:
        if not k.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            k.execute(f'CREATE DATABASE "{db["NAME"]}"')
    call_command("migrate", verbosity=0)


def sambungan_psycopg():
    """A plain psycopg connection to the bench database (COPY, parallel writers)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                           password=db["PASSWORD"] or None, dbname=db["NAME"])


def _perintah(args) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def mesin() -> dict:
    """CPU model, cores, RAM, PostgreSQL version, load, date: printed above every table."""
    cpu = ""
    try:
        for baris in Path("/proc/cpuinfo").read_text().splitlines():
            if baris.startswith("model name"):
                cpu = baris.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    pg = ""
    try:
        with sambungan_psycopg() as k:
            pg = k.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - the description must not stop a benchmark
        pass
    beban = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpu": cpu,
        "inti": os.cpu_count(),
        "ram": ram,
        "postgresql": pg,
        "python": platform.python_version(),
        "beban": beban,
        "tanggal": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def persentil(nilai: list[float], p: float) -> float:
    if not nilai:
        return float("nan")
    if len(nilai) == 1:
        return nilai[0]
    return statistics.quantiles(nilai, n=100, method="inclusive")[int(p) - 1]


def tabel(judul: str, kolom: list[str], baris: list[list], catatan: list[str] | None = None) -> str:
    """A Markdown table with the machine's description; returned as text."""
    m = mesin()
    teks = [f"### {judul}", "",
            f"_{m['tanggal']} · {m['cpu']} · {m['inti']} inti · RAM {m['ram']} · PostgreSQL {m['postgresql']} · "
            f"Python {m['python']} · beban 1/5/15 menit saat tabel ditulis: {m['beban']}_", ""]
    teks.append("| " + " | ".join(kolom) + " |")
    teks.append("|" + "|".join("---" for _ in kolom) + "|")
    for b in baris:
        teks.append("| " + " | ".join(str(x) for x in b) + " |")
    for c in catatan or []:
        teks.append("")
        teks.append(c)
    return "\n".join(teks) + "\n"


def terbitkan(teks: str, *, tulis: bool = True):
    """Print a table and append it to docs/benchmarks.md."""
    print(teks, flush=True)
    if tulis:
        DOKUMEN.parent.mkdir(parents=True, exist_ok=True)
        baru = not DOKUMEN.exists()
        with DOKUMEN.open("a", encoding="utf-8") as f:
            if baru:
                f.write("# Benchmarks\n\n## Results\n\nAppended by the commands, newest last.\n\n")
            f.write("\n" + teks)


def angka(x, desimal=0) -> str:
    if x is None:
        return "—"
    return f"{x:,.{desimal}f}".replace(",", " ")


def nilai_target(lulus: bool | None) -> str:
    return "—" if lulus is None else ("met" if lulus else "**missed**")


HASIL = AKAR / "var" / "bench"


def simpan_hasil(nama: str, data: dict):
    """Key figures of the latest run of one benchmark, for the summary of `bench all`."""
    import json

    HASIL.mkdir(parents=True, exist_ok=True)
    (HASIL / f"{nama}.json").write_text(json.dumps(data, default=str, indent=1), encoding="utf-8")


def baca_hasil(nama: str) -> dict | None:
    import json

    path = HASIL / f"{nama}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
