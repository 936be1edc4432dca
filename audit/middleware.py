from audit.konteks import konteks_dari_request, lepas_konteks, pasang_konteks


class RequestContextMiddleware:
    """Makes the caller's IP and user agent available to audit_catat without passing them around."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = pasang_konteks(konteks_dari_request(request))
        try:
            return self.get_response(request)
        finally:
            lepas_konteks(token)
