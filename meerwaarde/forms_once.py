"""One-time form tokens: a double click on "Opslaan" creates one record, not two.

How it works:
- Rendering a guarded form (`{% form_once_token %}` from `cases/templatetags/form_once.py`)
  puts a hidden field with a random token in it and remembers the token in the session as
  *pending*.
- The view wraps its create call in `submit_once(request)`. Inside one database transaction
  it takes a PostgreSQL advisory lock on the token, re-reads the session *from the session
  store* (not the copy this request loaded, which a parallel request may have made stale),
  and when the token is already *done* it hands back the URL of what the first submit
  created: the view redirects there with an info message and creates nothing. Otherwise the
  view creates the record and calls `once.done(url)`, which writes the token as done into
  the session store in the same transaction — so either the record and the mark commit
  together or neither does. A second request with the same token that arrived while the
  first was saving waits on the lock and then sees the mark.
- The views also call `replayed_submission` first, before validating: a replay's data may
  no longer be valid once the first submit saved (the intake's new client is now a possible
  duplicate), and the user should land on what was saved, not on an error.
- A failed save (validation error) leaves the token pending: the corrected form is sent
  with the same token.
- A POST without a token (an old page, a script) is not refused — it is saved as before,
  unguarded. A token this session never issued (the session was renewed) is still marked
  done after saving, so its replays are caught.

On SQLite (`make run`) there is no advisory lock; a sequential double submit is still caught,
two truly simultaneous ones are not. Production and the tests run on PostgreSQL.
"""

import hashlib
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import connection, transaction

FIELD_NAME = "form_token"
SESSION_KEY = "form_once_tokens"
PENDING = ""
# Enough for every form a user has open in tabs; the oldest tokens are forgotten first.
MAX_TOKENS = 50
_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _trimmed(tokens: dict) -> dict:
    while len(tokens) > MAX_TOKENS:
        tokens.pop(next(iter(tokens)))
    return tokens


def issue_form_token(request) -> str:
    """A token for a form being rendered. When this request is the re-render of a guarded
    form that failed validation, the pending token it was posted with is reused."""
    tokens = dict(request.session.get(SESSION_KEY, {}))
    posted = request.POST.get(FIELD_NAME, "") if request.method == "POST" else ""
    if posted and tokens.get(posted) == PENDING:
        return posted
    token = secrets.token_urlsafe(24)
    tokens[token] = PENDING
    request.session[SESSION_KEY] = _trimmed(tokens)
    return token


def _lock(token: str) -> None:
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _stored_tokens(request) -> dict:
    """The tokens as the session store has them now (committed by any request)."""
    session_key = request.session.session_key
    if not session_key:
        return dict(request.session.get(SESSION_KEY, {}))
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    return dict(store.load().get(SESSION_KEY, {}))


def replayed_submission(request) -> str | None:
    """Where the first submit of this form went, when the posted token is already done.
    A quick check before validating (a replay's data may no longer validate: the intake's
    new client now exists); `submit_once` checks again under the lock."""
    token = request.POST.get(FIELD_NAME, "")
    if not _TOKEN_PATTERN.match(token):
        return None
    return _stored_tokens(request).get(token) or None


@dataclass
class Once:
    request: object
    token: str
    replay_url: str | None = None
    saved_url: str | None = None

    @property
    def is_replay(self) -> bool:
        return self.replay_url is not None

    def done(self, url: str) -> None:
        """The record is created; `url` is where a replay of this form is sent."""
        self.saved_url = url


@contextmanager
def submit_once(request):
    """Guards a create: `with submit_once(request) as once:` — if `once.is_replay`, redirect
    to `once.replay_url` and create nothing; else create and call `once.done(url)`."""
    token = request.POST.get(FIELD_NAME, "")
    if not _TOKEN_PATTERN.match(token):
        yield Once(request=request, token="")
        return
    with transaction.atomic():
        _lock(token)
        stored = _stored_tokens(request)
        once = Once(request=request, token=token, replay_url=stored.get(token) or None)
        yield once
        if once.saved_url and not once.is_replay:
            stored[token] = once.saved_url
            request.session[SESSION_KEY] = _trimmed(stored)
            # Saved now, inside the transaction, so the mark commits with the record.
            request.session.save()
    if once.is_replay:
        # This request's copy of the session must not bring the pending token back.
        tokens = dict(request.session.get(SESSION_KEY, {}))
        tokens[token] = once.replay_url
        request.session[SESSION_KEY] = _trimmed(tokens)
