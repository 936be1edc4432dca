"""The layout holds: one direction of dependency between apps (DESIGN.md, Layout) and no import cycle
between the modules of one app, counting imports inside functions too (they hide cycles, not break them)."""

import ast
from pathlib import Path

AKAR = Path(__file__).resolve().parent.parent
APP = ("audit", "kelurahan", "notifikasi", "layanan", "integritas")
# Which other apps each app may import. `config` (the project) may import apps; no app imports `config`.
BOLEH = {
    "audit": set(),
    "kelurahan": {"audit"},
    # kelurahan/simpanan.py: the per-process copies of master data (the message templates among them).
    "notifikasi": {"audit", "kelurahan"},
    "layanan": {"audit", "kelurahan", "notifikasi"},
    "integritas": {"audit", "kelurahan", "notifikasi", "layanan"},
}


def _modul(path: Path) -> str:
    bagian = list(path.relative_to(AKAR).with_suffix("").parts)
    if bagian[-1] == "__init__":
        bagian.pop()
    return ".".join(bagian)


def _sumber():
    for app in APP:
        for path in sorted((AKAR / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield _modul(path), path


def _impor(path: Path, modul: str, semua: set[str]) -> set[str]:
    """Every project module `path` imports, at any depth of the file."""
    paket = modul if path.name == "__init__.py" else modul.rpartition(".")[0]
    hasil = set()
    for simpul in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        nama = []
        if isinstance(simpul, ast.Import):
            nama = [a.name for a in simpul.names]
        elif isinstance(simpul, ast.ImportFrom):
            dasar = simpul.module or ""
            if simpul.level:
                dasar = ".".join(paket.split(".")[: len(paket.split(".")) - simpul.level + 1] + ([dasar] if dasar else []))
            nama = [dasar] + [f"{dasar}.{a.name}" for a in simpul.names]
        for n in nama:
            # the longest project module that the name is or lies in
            while n and n not in semua:
                n = n.rpartition(".")[0]
            if n and n != modul:
                hasil.add(n)
    return hasil


def _graf():
    sumber = dict(_sumber())
    semua = set(sumber) | {"config"}
    return {m: _impor(p, m, semua) for m, p in sumber.items()}


def test_apps_depend_one_way():
    salah = []
    for modul, impor in _graf().items():
        app = modul.split(".")[0]
        for target in impor:
            lain = target.split(".")[0]
            if lain != app and lain not in BOLEH[app]:
                salah.append(f"{modul} -> {target}")
    assert salah == []


def test_no_import_cycle_inside_an_app():
    graf = _graf()
    # Tarjan's strongly connected components over intra-app edges
    indeks, rendah, tumpukan, di_tumpukan, siklus = {}, {}, [], set(), []
    hitung = [0]

    def kunjungi(v):
        indeks[v] = rendah[v] = hitung[0]
        hitung[0] += 1
        tumpukan.append(v)
        di_tumpukan.add(v)
        for w in graf[v]:
            if w.split(".")[0] != v.split(".")[0] or w not in graf:
                continue
            if w not in indeks:
                kunjungi(w)
                rendah[v] = min(rendah[v], rendah[w])
            elif w in di_tumpukan:
                rendah[v] = min(rendah[v], indeks[w])
        if rendah[v] == indeks[v]:
            komponen = []
            while True:
                w = tumpukan.pop()
                di_tumpukan.discard(w)
                komponen.append(w)
                if w == v:
                    break
            if len(komponen) > 1:
                siklus.append(sorted(komponen))

    for v in graf:
        if v not in indeks:
            kunjungi(v)
    assert siklus == []


def test_the_checker_sees_function_level_imports(tmp_path):
    """The walk finds an import inside a function body, so a cycle hidden there would be caught."""
    berkas = tmp_path / "contoh.py"
    berkas.write_text("def f():\n    from layanan.permohonan import services\n    return services\n")
    assert "layanan.permohonan.services" in _impor(berkas, "contoh", {"layanan.permohonan.services"})


def test_role_table_and_state_machine_name_the_same_source_states():
    """alur.ATURAN (who may act from where) and the django-fsm transitions (which state may follow which)
    are two tables of one rule: every action's states in the role table are exactly its FSM sources."""
    from layanan.models import Permohonan
    from layanan.permohonan import alur

    fsm = {}
    for t in Permohonan._meta.get_field("status").get_all_transitions(Permohonan):
        fsm.setdefault(t.name, set()).add(str(t.source))
    peran = {}
    for (aksi, _peran), status in alur.ATURAN.items():
        peran.setdefault(aksi, set()).update(str(s) for s in status)
    assert peran == fsm
