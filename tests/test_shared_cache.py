"""The course's questions and the site's course settings are read from the cache in a rush,
and an editor's change to either shows on the very next page."""

from wagtail.models import Site

from tests.support.applying import add_questions
from wagtail_courses.models import CourseFormField, CourseSiteSettings


def test_a_question_published_shows_at_once(client, make_course):
    course = make_course(sessions=1)
    add_questions(course)
    assert "Your role" in client.get(course.url).content.decode()  # now in the cache

    course.form_fields.add(
        CourseFormField(label="Your team", field_type="singleline", sort_order=5)
    )
    course.save_revision().publish()

    page = client.get(course.url).content.decode()
    assert "Your team" in page and "Your role" in page


def test_a_question_removed_goes_at_once(client, make_course):
    course = make_course(sessions=1)
    add_questions(course)
    client.get(course.url)

    CourseFormField.objects.filter(page=course, label="Your role").delete()

    assert "Your role" not in client.get(course.url).content.decode()


def test_a_changed_privacy_notice_shows_at_once(client, make_course):
    course = make_course(sessions=1)
    client.get(course.url)
    settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))

    settings.privacy_notice = "We keep your answers for a year, then anonymise them."
    settings.save()

    assert "then anonymise them" in client.get(course.url).content.decode()
