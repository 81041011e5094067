"""What the attendance register tells the rest of the app: a leaf, so either side may import it."""

from django.dispatch import Signal

# Sent once a session's marks are committed, by the register and by an applicant's apologies:
# ``session`` (the SessionPage), ``bookings`` (the bookings whose mark changed), ``by`` (the
# user who marked them, or None for the applicant). Completion listens for it.
marks_saved = Signal()
