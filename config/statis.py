"""Static files storage of production: WhiteNoise's compressed, hashed-name storage."""

from django.conf import settings
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

    def create_compressor(self, **kwargs):
        # Brotli at its best level costs most of collectstatic's time (minutes on a busy small host);
        # STATIC_BROTLI=0 leaves gzip alone.
        return super().create_compressor(use_brotli=settings.STATIC_BROTLI, **kwargs)
