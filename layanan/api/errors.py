"""API-wide error shape: {"detail": ...} or {field: [messages]}, in the caller's language.

Bodies Django or DRF cannot read (bad JSON or multipart, too many fields or files, too large)
are a 400 of this shape too, never Django's HTML 400 page nor a 500 (issue 14, item 4)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _isi_tidak_terbaca(exc):
    if isinstance(exc, TooManyFieldsSent):
        return _("Terlalu banyak isian dalam satu permintaan.")
    if isinstance(exc, TooManyFilesSent):
        return _("Terlalu banyak berkas dalam satu permintaan.")
    if isinstance(exc, RequestDataTooBig):
        return _("Isi permintaan terlalu besar.")
    if isinstance(exc, exceptions.ParseError):
        return _("Isi permintaan tidak dapat dibaca; periksa format JSON atau multipart-nya.")
    return None


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    else:
        pesan = _isi_tidak_terbaca(exc)
        if pesan is not None:
            exc = exceptions.ValidationError({"non_field_errors": [pesan]})
    return drf_exception_handler(exc, context)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Permohonan sudah diproses atau statusnya tidak memungkinkan aksi ini."
    default_code = "conflict"
