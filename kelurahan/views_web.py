"""Officer sign-in and sign-out. Django auth does the checking, django-axes the
lockout, and audit.signals records every success and failure in the ledger."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST


class FormMasukPetugas(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("Nama pengguna atau kata sandi salah."),
        "inactive": gettext_lazy("Akun ini tidak aktif."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("Nama pengguna")
        self.fields["password"].label = gettext_lazy("Kata sandi")


class MasukPetugas(LoginView):
    template_name = "petugas/masuk.html"
    authentication_form = FormMasukPetugas
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return self.get_redirect_url() or "/petugas/"

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            # Answer the lockout ourselves, in the page's language, instead of axes's plain-text 403.
            self.request.axes_locked_out = False
            return render(self.request, "petugas/terkunci.html", {
                "menit": int(float(settings.AXES_COOLOFF_TIME) * 60),
            }, status=429)
        return self.render_to_response(self.get_context_data(form=form), status=400)


masuk_petugas = MasukPetugas.as_view()


@require_POST
def keluar_petugas(request):
    logout(request)
    messages.info(request, _("Anda sudah keluar."))
    return redirect("web:petugas_masuk")
