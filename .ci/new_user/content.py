"""The content an editor would make in a new site's Wagtail admin, through the same models.

Run by .ci/new_user.py inside the new project (`manage.py shell`). Each page is added as a
draft and then published from a revision, as the admin's "Publish" does. The Site record is
left as `wagtail start` made it (localhost:80). The last line printed is ``NEW_USER {json}``:
what the visitor needs to know.
"""

import json
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Site

from wagtail_courses import conf
from wagtail_courses.models import (
    CourseFormField,
    CourseSiteSettings,
    EventIndexPage,
    EventPage,
    SessionPage,
)


def publish(page, *, parent):
    """Add ``page`` under ``parent`` as a draft, then publish it (Add child page > Publish)."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    page.refresh_from_db()
    return page


site = Site.objects.get(is_default_site=True)
home = site.root_page.specific  # the stock HomePage of `wagtail start`

# Settings > Courses: the notice beside every form's consent box, and an inbox for the
# applications of a course whose facilitators have no contact email (this one has none).
courses_settings = CourseSiteSettings.for_site(site)
courses_settings.privacy_notice = (
    "We keep your application to arrange your place and share it only with the facilitators."
)
courses_settings.applications_email = "courses@example.org"
courses_settings.save()

# Pages > Home > Add child page > Events index
events = publish(EventIndexPage(title="All events", slug="events"), parent=home)

# Pages > All events > Add child page > Course, with one question on its Application form tab
# and its places on the Places tab.
course = publish(
    EventPage(
        title="Mindful leadership",
        slug="mindful-leadership",
        summary="Three afternoons on leading a team with attention and care.",
        delivery_mode=EventPage.DeliveryMode.ONLINE,
        time_zone="Europe/London",
        capacity=12,
        form_fields=[
            CourseFormField(label="Job title", field_type="singleline", required=True),
        ],
    ),
    parent=events,
)

# Pages > Mindful leadership > Add child page > Session, three weeks running, a month ahead.
first_day = timezone.localtime(timezone.now(), course.tzinfo) + timedelta(days=30)
first = first_day.replace(hour=14, minute=0, second=0, microsecond=0)
for number in range(1, 4):
    start = first + timedelta(weeks=number - 1)
    publish(
        SessionPage(title=f"Session {number}", start=start, end=start + timedelta(hours=2)),
        parent=course,
    )

facts = {
    "course_url": course.url,
    "course_title": course.title,
    "min_fill_seconds": conf.get_setting("MIN_FILL_SECONDS"),
}
print("NEW_USER", json.dumps(facts))  # noqa: T201 (read by .ci/new_user.py)
