"""The reference course's published facts, which several tests check the app against."""

from datetime import date
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DEMO_URL = "/events/compassionate-leadership-training-course-tuesdays/"
DEMO_TITLE = "Compassionate Leadership Training course – Tuesdays"
# Tuesdays 15:00 to 17:00 London time; no sessions on 28 May and 18 June.
SEED_SESSIONS = [
    (date(2024, 5, 14), "Session 1"),
    (date(2024, 5, 21), "Session 2"),
    (date(2024, 6, 4), "Session 3"),
    (date(2024, 6, 11), "Session 4"),
    (date(2024, 6, 25), "Session 5"),
    (date(2024, 7, 2), "Session 6"),
    (date(2024, 9, 24), "Consolidation session"),
]
SEED_DATES = [day for day, _ in SEED_SESSIONS]
SKIPPED_WEEKS = [date(2024, 5, 28), date(2024, 6, 18)]
