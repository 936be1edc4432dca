"""What a request announces to the apps above it (integritas), so that layanan never calls them.

`transisi` is sent inside the action's transaction after the transition, its audit event and the
resident's message are written: a receiver's writes commit with the action or not at all."""

from django.dispatch import Signal

# kwargs: permohonan, aksi, dari, ke, pengguna, waktu
transisi = Signal()
