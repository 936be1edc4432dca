"""The lifecycle diagram, generated from the FSM transitions and the role table (never drawn by hand)."""

from django_fsm import RETURN_VALUE

from layanan.models import Permohonan
from layanan.permohonan import alur


def diagram_mermaid() -> str:
    baris = ["stateDiagram-v2", "    [*] --> diajukan: ajukan (warga, loket)"]
    field = Permohonan._meta.get_field("status")
    tepi = {}
    for t in field.get_all_transitions(Permohonan):
        sumber = t.source
        target = t.target
        tujuan = list(target.allowed_states) if isinstance(target, RETURN_VALUE) else [target]
        peran = sorted(p for (a, p) in alur.ATURAN if a == t.name and sumber in alur.ATURAN[(a, p)])
        for ke in tujuan:
            tepi.setdefault((str(sumber), str(ke)), []).append(f"{t.name} ({', '.join(peran)})")
    for (dari, ke), label in sorted(tepi.items()):
        baris.append(f"    {dari} --> {ke}: {' / '.join(sorted(label))}")
    for akhir in ("selesai", "ditolak", "dibatalkan"):
        baris.append(f"    {akhir} --> [*]")
    return "\n".join(baris) + "\n"
