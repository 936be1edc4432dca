"""Output shapes of DESIGN.md "Shapes that clients rely on". Input is validated in services."""

from functools import cached_property

from django.utils import timezone
from rest_framework import serializers

from layanan.models import Layanan, Permohonan, Persyaratan, Status
from layanan.permohonan import sla
from layanan.permohonan.privasi import samarkan_hp, samarkan_nik
from layanan.surat.token import url_verifikasi


class PersyaratanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Persyaratan
        fields = ["kode", "nama", "unggah"]


class LayananSerializer(serializers.ModelSerializer):
    persyaratan = PersyaratanSerializer(many=True, read_only=True)
    sla = serializers.DecimalField(source="sla_jam", max_digits=6, decimal_places=2, coerce_to_string=False)
    biaya_keterangan = serializers.SerializerMethodField()

    class Meta:
        model = Layanan
        fields = ["kode", "nama", "tingkat", "deskripsi", "sla", "sla_jam_kelurahan", "sla_jam_kecamatan", "biaya",
                  "biaya_keterangan", "persyaratan", "formulir", "dasar_hukum"]

    def get_biaya_keterangan(self, obj) -> str:
        return "tidak dipungut biaya" if obj.biaya == 0 else f"Rp{obj.biaya:,}".replace(",", ".")


def _waktu(t, zona) -> str | None:
    """A date-time as DRF's DateTimeField writes it (ISO 8601 in the current time zone, UTC as "Z"), with the
    zone looked up once per answer rather than once per field."""
    if not t:
        return None
    teks = timezone.localtime(t, zona).isoformat()
    return teks[:-6] + "Z" if teks.endswith("+00:00") else teks


class _ZonaSekali:
    @cached_property
    def _zona(self):
        """The current time zone, read once per serializer (a list's rows share one child serializer)."""
        return timezone.get_current_timezone()


class RiwayatSerializer(_ZonaSekali, serializers.Serializer):
    aksi = serializers.CharField()
    dari = serializers.CharField(allow_null=True)
    ke = serializers.CharField()
    oleh = serializers.CharField()
    peran = serializers.CharField()
    catatan = serializers.CharField(allow_blank=True)
    waktu = serializers.DateTimeField()

    @staticmethod
    def nilai(event) -> dict:
        """The timeline entry's values, read from its audit event."""
        return {
            "aksi": event.aksi,
            "dari": event.data.get("dari"),
            "ke": event.data.get("ke"),
            "oleh": event.data.get("oleh_nama", event.aktor),
            "peran": event.peran,
            "catatan": event.data.get("catatan", ""),
            "waktu": event.waktu,
        }

    def to_representation(self, event):
        return self.baris(event, self._zona)

    @classmethod
    def baris(cls, event, zona) -> dict:
        """The declared fields, built directly: DRF built this serializer's fields anew for every answer
        (7 % of a submission's CPU with the detail around it), and a `many=True` serializer around them
        cost another 1.5 % (session 9); tests/test_serializer_cepat.py holds this equal to DRF's output."""
        n = cls.nilai(event)
        return {
            "aksi": str(n["aksi"]),
            "dari": None if n["dari"] is None else str(n["dari"]),
            "ke": str(n["ke"]),
            "oleh": str(n["oleh"]),
            "peran": str(n["peran"]),
            "catatan": str(n["catatan"]),
            "waktu": _waktu(n["waktu"], zona),
        }


class SuratRingkasSerializer(serializers.Serializer):
    nomor = serializers.CharField()
    verifikasi_url = serializers.SerializerMethodField()
    sha256 = serializers.CharField()
    status = serializers.CharField()

    def get_verifikasi_url(self, surat) -> str:
        return url_verifikasi(surat)


class PermohonanSerializer(_ZonaSekali, serializers.ModelSerializer):
    """List shape: no timeline, NIK and phone masked."""

    layanan = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    layanan_nama = serializers.CharField(source="layanan.nama", read_only=True)
    kelurahan = serializers.CharField(source="kelurahan_id", read_only=True)
    kelurahan_nama = serializers.CharField(source="kelurahan.nama", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    pemohon = serializers.SerializerMethodField()
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Permohonan
        fields = ["id", "nomor_registrasi", "layanan", "layanan_nama", "kelurahan", "kelurahan_nama", "status",
                  "status_label", "kanal", "diajukan_pada", "tenggat", "sla", "pemohon", "keperluan"]

    def get_pemohon(self, obj) -> dict:
        return {
            "nama": obj.identitas.get("nama", ""),
            "nik": samarkan_nik(obj.pemohon.nik),
            "no_hp": samarkan_hp(obj.pemohon.no_hp),
        }

    def get_sla(self, obj) -> dict:
        return sla.sla_ringkasan(obj, zona=self._zona)

    def to_representation(self, obj):
        """The declared fields, built directly. DRF's per-field machinery cost about 0.3 ms a row,
        most of a worklist page; tests/test_serializer_cepat.py holds this equal to DRF's output."""
        return {
            "id": obj.pk,
            "nomor_registrasi": obj.nomor_registrasi,
            "layanan": obj.layanan.kode,
            "layanan_nama": obj.layanan.nama,
            "kelurahan": obj.kelurahan_id,
            "kelurahan_nama": obj.kelurahan.nama,
            "status": obj.status,
            "status_label": str(Status(obj.status).label),
            "kanal": obj.kanal,
            "diajukan_pada": _waktu(obj.diajukan_pada, self._zona),
            "tenggat": _waktu(obj.tenggat, self._zona),
            "sla": self.get_sla(obj),
            "pemohon": self.get_pemohon(obj),
            "keperluan": obj.keperluan,
        }


class PermohonanDetailSerializer(PermohonanSerializer):
    riwayat = serializers.SerializerMethodField()
    aksi_tersedia = serializers.SerializerMethodField()
    surat = serializers.SerializerMethodField()
    berkas = serializers.SerializerMethodField()
    tanda_tangan_tertunda = serializers.SerializerMethodField()

    class Meta(PermohonanSerializer.Meta):
        fields = PermohonanSerializer.Meta.fields + ["data", "identitas", "catatan_terakhir", "riwayat",
                                                     "aksi_tersedia", "surat", "berkas", "tanda_tangan_tertunda"]

    def to_representation(self, obj):
        hasil = super().to_representation(obj)
        identitas = dict(obj.identitas)
        if not self.context.get("data_pribadi"):
            identitas["nik"] = samarkan_nik(identitas.get("nik", ""))
        hasil.update({
            "data": obj.data,
            "identitas": identitas,
            "catatan_terakhir": obj.catatan_terakhir,
            "riwayat": self.get_riwayat(obj),
            "aksi_tersedia": self.get_aksi_tersedia(obj),
            "surat": self.get_surat(obj),
            "berkas": self.get_berkas(obj),
            "tanda_tangan_tertunda": self.get_tanda_tangan_tertunda(obj),
        })
        return hasil

    def get_tanda_tangan_tertunda(self, obj) -> dict | None:
        """Approved but waiting for BSrE (docs/surat.md); read from the row's select_related join."""
        from django.core.exceptions import ObjectDoesNotExist

        try:
            t = obj.tte_tertunda
        except ObjectDoesNotExist:
            return None
        return {"sejak": t.sejak, "alasan": t.alasan, "percobaan": t.percobaan}

    def get_riwayat(self, obj) -> list:
        return [RiwayatSerializer.baris(e, self._zona) for e in self.context["riwayat"]]

    def get_aksi_tersedia(self, obj) -> list[str]:
        return self.context["aksi_tersedia"]

    def get_surat(self, obj) -> dict | None:
        dimuat = getattr(obj, "_prefetched_objects_cache", {}).get("surat")
        if dimuat is not None:  # a request just submitted has none: no query
            surat = next((s for s in dimuat if s.status == "berlaku"), None)
        else:
            surat = obj.surat.filter(status="berlaku").first()
        return SuratRingkasSerializer(surat).data if surat else None

    def get_berkas(self, obj) -> list:
        return [
            {"id": b.pk, "persyaratan": b.persyaratan_kode, "jenis": b.jenis, "ukuran": b.ukuran, "sha256": b.sha256}
            for b in obj.berkas.all()
            if b.aktif
        ]
