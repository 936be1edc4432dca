"""Admin mixin: every change to master data through the Django admin goes to the ledger.

Each save writes its event in the same transaction as the change (the admin
wraps changeform and delete views in one), with the changed fields old -> new;
inline rows (requirements of a service, hours of an office, roles of an
officer) are recorded with their parent.
"""

from django.forms.models import model_to_dict

from audit.enkripsi import JsonTersegel, TeksTersegel
from audit.master_data import audit_master_data, perubahan_bidang, tanpa_rahasia


def _bisa_json(nilai):
    if hasattr(nilai, "pk"):
        return nilai.pk
    if isinstance(nilai, (list, tuple, set)) and nilai and hasattr(next(iter(nilai)), "pk"):
        return sorted(x.pk for x in nilai)
    return nilai


def _samar(nilai):
    """A sealed field's value as the ledger may hold it: that it changed, never what it is."""
    teks = str(nilai or "")
    return teks[:3] + "•" * max(len(teks) - 6, 0) + teks[-3:] if len(teks) >= 8 else "•" * len(teks)


def _isi(obj, bidang):
    tersegel = {f.name for f in obj._meta.concrete_fields if isinstance(f, (TeksTersegel, JsonTersegel))}
    return {nama: _samar(nilai) if nama in tersegel else _bisa_json(nilai)
            for nama, nilai in model_to_dict(obj, fields=bidang).items()}


class AuditAdminMixin:
    """Use before admin.ModelAdmin: `class LayananAdmin(AuditAdminMixin, admin.ModelAdmin)`."""

    def save_model(self, request, obj, form, change):
        bidang = list(form.changed_data)
        lama = {}
        if change and obj.pk is not None:
            asli = type(obj)._default_manager.filter(pk=obj.pk).first()
            lama = _isi(asli, bidang) if asli is not None else {}
        super().save_model(request, obj, form, change)
        if change:
            perubahan = perubahan_bidang(lama, _isi(obj, bidang))
            if perubahan:
                audit_master_data(aksi="ubah", objek=obj, perubahan=perubahan, aktor=request.user)
        else:
            audit_master_data(aksi="tambah", objek=obj, perubahan=perubahan_bidang({}, _isi(obj, None)),
                              aktor=request.user)

    def save_formset(self, request, form, formset, change):
        # The rows' old values, read before the formset writes over them.
        lama = {f.instance.pk: _isi(f.instance.__class__._default_manager.get(pk=f.instance.pk), f.changed_data)
                for f in formset.initial_forms if f.instance.pk is not None and f.has_changed()}
        dihapus = {id(f.instance): f.instance.pk for f in formset.deleted_forms if f.instance.pk is not None}
        super().save_formset(request, form, formset, change)
        perubahan = {}
        model = formset.model._meta.label_lower
        for obj in formset.new_objects:
            perubahan[f"{model}:{obj.pk}"] = [None, str(obj)]
        for obj, bidang in formset.changed_objects:
            beda = perubahan_bidang(lama.get(obj.pk, {}), _isi(obj, bidang))
            if beda:
                perubahan[f"{model}:{obj.pk}"] = beda
        for obj in formset.deleted_objects:
            perubahan[f"{model}:{dihapus.get(id(obj), obj.pk)}"] = [str(obj), None]
        if perubahan:
            audit_master_data(aksi="ubah_rincian", objek=form.instance, perubahan=perubahan, aktor=request.user)

    def delete_model(self, request, obj):
        pk = obj.pk
        data = _isi(obj, None)
        super().delete_model(request, obj)
        obj.pk = pk
        audit_master_data(aksi="hapus", objek=obj, aktor=request.user, data={"nilai_terakhir": tanpa_rahasia(data)})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
