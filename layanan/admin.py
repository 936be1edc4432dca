"""Admin registrations of the layanan app."""

from layanan import admin_surat  # noqa: F401  (registers Surat)
