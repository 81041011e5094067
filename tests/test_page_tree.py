"""Editors can only build sensible trees: each page type where it belongs and nowhere else."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from example_site.demo.models import HomePage
from tests.site_courses.models import SiteCoursePage
from tests.support.form_data import course_form_data, session_form_data
from wagtail_courses.models import (
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_event_index_holds_only_courses(self):
        # A site's own course page type (tests/site_courses) is a course too.
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage, SiteCoursePage})
        self.assertCanCreateAt(HomePage, EventIndexPage)

    def test_course_lives_only_under_an_event_index_and_holds_only_sessions(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, {SessionPage})
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(FacilitatorIndexPage, EventPage)

    def test_session_lives_only_under_a_course(self):
        self.assertAllowedParentPageTypes(SessionPage, {EventPage, SiteCoursePage})
        self.assertAllowedSubpageTypes(SessionPage, set())
        self.assertCanNotCreateAt(EventIndexPage, SessionPage)
        self.assertCanNotCreateAt(HomePage, SessionPage)

    def test_facilitators_live_only_under_a_facilitator_index(self):
        self.assertAllowedSubpageTypes(FacilitatorIndexPage, {FacilitatorPage})
        self.assertAllowedParentPageTypes(FacilitatorPage, {FacilitatorIndexPage})
        self.assertAllowedSubpageTypes(FacilitatorPage, set())
        self.assertCanNotCreateAt(EventIndexPage, FacilitatorPage)
        self.assertCanCreateAt(Page, FacilitatorIndexPage)


class PagesRenderTests(WagtailPageTestCase):
    """Every page type renders, and its preview does too."""

    @classmethod
    def setUpTestData(cls):
        from datetime import timedelta

        from django.utils import timezone

        from tests.factories import (
            EventFacilitatorFactory,
            EventIndexPageFactory,
            EventPageFactory,
            FacilitatorIndexPageFactory,
            FacilitatorPageFactory,
            SessionPageFactory,
        )

        home = Site.objects.get(is_default_site=True).root_page
        cls.event_index = EventIndexPageFactory(parent=home)
        cls.course = EventPageFactory(parent=cls.event_index)
        start = timezone.now() + timedelta(days=10)
        cls.session = SessionPageFactory(parent=cls.course, start=start)
        cls.facilitator_index = FacilitatorIndexPageFactory(parent=home)
        cls.facilitator = FacilitatorPageFactory(parent=cls.facilitator_index)
        EventFacilitatorFactory(page=cls.course, facilitator=cls.facilitator)

    def test_every_page_type_renders(self):
        for page in [
            self.event_index,
            self.course,
            self.session,
            self.facilitator_index,
            self.facilitator,
        ]:
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)

    def test_every_page_type_previews_in_the_editor(self):
        self.assertPageIsPreviewable(
            self.course, post_data=course_form_data(facilitators=[self.facilitator])
        )
        self.assertPageIsPreviewable(self.session, post_data=session_form_data())
        for page in [self.event_index, self.facilitator_index, self.facilitator]:
            with self.subTest(page=type(page).__name__):
                self.assertPageIsPreviewable(page)
