from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegritasConfig(AppConfig):
    name = "integritas"
    verbose_name = _("Integritas")

    def ready(self):
        """Listen to the apps below: the ledger's appends (the rollup), request transitions (the survey
        invitation) and the demo history (surveys and complaints). They never call integritas."""
        from audit import kait
        from integritas import demo, indikator, services
        from layanan.demo.riwayat import riwayat_dibuat
        from layanan.permohonan.signals import transisi

        kait.daftarkan(indikator.ringkasan_setelah_catat)
        from audit import turunan as audit_turunan
        from integritas import turunan

        # audit_verify recomputes each derived table from the chain and reports every row that differs.
        audit_turunan.daftarkan("ringkasan", turunan.ringkasan_selisih)
        audit_turunan.daftarkan("survei", turunan.survei_selisih)
        audit_turunan.daftarkan("pengaduan", turunan.pengaduan_selisih)
        transisi.connect(services.permohonan_transisi, dispatch_uid="integritas_undang_survei")
        riwayat_dibuat.connect(demo.setelah_riwayat_demo, dispatch_uid="integritas_demo")
        # The WhatsApp conversation's survey and complaint (notifikasi/obrolan.py calls them by name).
        from integritas import obrolan as obrolan_integritas
        from notifikasi import obrolan

        obrolan.daftarkan("survei_buka", obrolan_integritas.survei_buka)
        obrolan.daftarkan("survei_butir", obrolan_integritas.survei_butir)
        obrolan.daftarkan("survei_simpan", obrolan_integritas.survei_kirim)
        obrolan.daftarkan("lapor_simpan", obrolan_integritas.lapor_simpan)
