"""The "Add sessions" form, as an editor posts it."""

from django.urls import reverse


def add_sessions_url(page) -> str:
    return reverse("wagtail_courses_add_sessions", args=(page.pk,))


def schedule_data(**overrides) -> dict:
    """The reference course's schedule, as the form posts it."""
    data = {
        "first_date": "2024-05-14",
        "start_time": "15:00",
        "end_time": "17:00",
        "interval": "1",
        "weekday": "",
        "until": "2024-07-02",
        "count": "",
        "skip_dates": "2024-05-28\r\n2024-06-18",
        "state": "publish",
        "action": "create",
        "extra-TOTAL_FORMS": "3",
        "extra-INITIAL_FORMS": "0",
        "extra-MIN_NUM_FORMS": "0",
        "extra-MAX_NUM_FORMS": "20",
        "extra-0-date": "2024-09-24",
        "extra-0-start_time": "15:00",
        "extra-0-end_time": "17:00",
        "extra-0-title": "Consolidation session",
    }
    for number in (1, 2):
        for name in ("date", "start_time", "end_time", "title"):
            data[f"extra-{number}-{name}"] = ""
    data.update(overrides)
    return data
