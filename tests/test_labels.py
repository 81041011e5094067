"""How prices and dates read."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from wagtail_courses.formatting.currency import format_price
from wagtail_courses.formatting.schedule import session_time_html

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("amount", "currency", "label"),
    [
        (Decimal("0"), "GBP", "Free"),
        (Decimal("150.00"), "GBP", "£150"),
        (Decimal("1250.50"), "GBP", "£1,250.50"),
        (Decimal("90"), "EUR", "€90"),
        (Decimal("75"), "CHF", "75 CHF"),
    ],
)
def test_price_labels(amount, currency, label):
    assert format_price(amount, currency) == label


def session_time_label(start, end, zone) -> str:
    return BeautifulSoup(session_time_html(start, end, zone), "html.parser").get_text()


def test_session_label_is_in_the_course_time_zone_in_summer_and_winter():
    summer = session_time_label(
        datetime(2024, 5, 14, 14, tzinfo=UTC), datetime(2024, 5, 14, 16, tzinfo=UTC), LONDON
    )
    winter = session_time_label(
        datetime(2024, 11, 12, 15, tzinfo=UTC), datetime(2024, 11, 12, 17, tzinfo=UTC), LONDON
    )
    assert summer == "14 May at 15:00 to 17:00"
    assert winter == "12 November at 15:00 to 17:00"


def test_session_label_marks_each_part_up_as_a_time():
    html = session_time_html(
        datetime(2024, 5, 14, 14, tzinfo=UTC), datetime(2024, 5, 14, 16, tzinfo=UTC), LONDON
    )
    times = [
        (tag["datetime"], tag.get_text())
        for tag in BeautifulSoup(html, "html.parser").find_all("time")
    ]
    assert times == [
        ("2024-05-14", "14 May"),
        ("2024-05-14T15:00:00+01:00", "15:00"),
        ("2024-05-14T17:00:00+01:00", "17:00"),
    ]


def test_overnight_session_label_names_both_days():
    label = session_time_label(
        datetime(2024, 5, 14, 21, tzinfo=UTC), datetime(2024, 5, 15, 7, tzinfo=UTC), LONDON
    )
    assert label == "14 May at 22:00 to 15 May at 08:00"
