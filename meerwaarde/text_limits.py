"""How long a free text may be, by what it holds. The models carry these limits (as
`max_length` and a validator, so forms and `full_clean` refuse longer text) and the services
check them again; `meerwaarde.form_guards` has the Dutch message."""

# A short remark: a reason, a toelichting on a status change or on hours.
SHORT_NOTE_LENGTH = 300
# A description or short free text: skills, wishes, a team or indicator description.
SHORT_TEXT_LENGTH = 2000
# A note or question: the hulpvraag, a referral or closing note, an evaluation.
NOTE_LENGTH = 5000
# A report of a conversation: a contact, a mediation step.
REPORT_LENGTH = 10000
# Evaluations are appended to one text, each at most NOTE_LENGTH.
EVALUATION_NOTES_LENGTH = 50000
