from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord is onbekend. Let op: na vijf "
            "mislukte pogingen wordt het account een uur geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de functioneel beheerder."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Wachtwoord")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code uit de authenticator-app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Vul de zes cijfers in die de app nu toont.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
