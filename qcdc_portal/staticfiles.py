"""Storage of the collected static files: hashed names (cached for ever by browsers) and
compressed copies that WhiteNoise serves to browsers that accept them."""

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Gzip only. Brotli at its best level takes two minutes over the vendored bundles
    (Swagger UI, ReDoc, Chart.js) on two cores, gzip a few seconds: the embedded default
    (``make run``) collects its static files on the first start, and a user waits for it.
    The production image, collected once at build time, keeps Brotli."""

    def create_compressor(self, **kwargs) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
