"""HTML forms read the way a browser submits them: the fields with their current values
(checked boxes, selected options, textareas), the choices a select or checkbox group offers,
and the Dutch messages of a refused form. The standard library's HTMLParser is enough for
the project's own templates; Locust itself does not read forms."""

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    attrs: dict
    fields: list = field(default_factory=list)  # [(name, value)] a browser would send
    options: dict = field(default_factory=lambda: defaultdict(list))  # select → values

    @property
    def action(self) -> str:
        return self.attrs.get("action") or ""

    def data(self, **overrides) -> list[tuple[str, str]]:
        """The submitted pairs with `overrides` replacing (a list: repeating) a field."""
        pairs = [(name, value) for name, value in self.fields if name not in overrides]
        for name, value in overrides.items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, item))
        return pairs

    def value(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self.form = Form(attrs=attrs)
            self.forms.append(self.form)
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                self.form.options[name].append(attrs.get("value", "on"))
                if "checked" not in attrs:
                    return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.form.fields.append((name, attrs.get("value", default)))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.form.options[self.select].append(value)
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs and not self.select_chosen:
                self.form.fields.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.form is not None:
            if not self.select_chosen and self.select_first is not None:
                self.form.fields.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea and self.form is not None:
            self.form.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_of(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def find_form(page: str, *, action_contains: str = "", form_id: str = "", testid: str = ""):
    for form in forms_of(page):
        if form_id and form.attrs.get("id") != form_id:
            continue
        if testid and form.attrs.get("data-testid") != testid:
            continue
        if action_contains not in form.action:
            continue
        return form
    return None


def page_errors(page: str) -> str:
    """The Dutch messages on a refused form, shortened, for the report."""
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|alert-danger|alert-warning|text-danger)[^"]*"[^>]*>(.*?)</',
        page,
        re.S,
    )
    text = " | ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in found)
    return text[:300] or "(geen foutmelding gevonden)"
