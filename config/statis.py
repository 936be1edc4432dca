"""Static files storage of production: WhiteNoise's compressed, hashed-name storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _tanpa_peta_sumber(patterns):
    return tuple(
        (jenis, tuple(p for p in pola if "sourceMappingURL" not in str(p[0] if isinstance(p, tuple) else p)))
        for jenis, pola in patterns
    )


class StatisProduksi(CompressedManifestStaticFilesStorage):
    """Source-map comments are left as they are: vendored minified scripts (chart.umd.js) name a map
    they do not ship, which Django's storage would otherwise refuse at collectstatic."""

    patterns = _tanpa_peta_sumber(CompressedManifestStaticFilesStorage.patterns)
