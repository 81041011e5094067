"""Migration 0012: emails written under one status come out with their sending and delivery apart,
and go back as they were."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("wagtail_courses", "0011_booking_origin")]
AFTER = [("wagtail_courses", "0012_email_sending_and_delivery")]

EVENT_AT = datetime(2031, 1, 6, 10, 0, tzinfo=UTC)
CLAIMED_AT = datetime(2031, 1, 6, 9, 0, tzinfo=UTC)


def migrate(target):
    """The database at ``target``; the historical models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()  # what was applied has changed
    return executor.loader.project_state(target).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("wagtail_courses")


@pytest.fixture
def at_0011():
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())  # as every other test expects it


def write(OutboundEmail, status: str, changed_at=None):
    return OutboundEmail.objects.create(
        kind=status, subject=status, body_text="", status=status, status_changed_at=changed_at
    ).pk


@pytest.mark.django_db(transaction=True)
def test_one_status_becomes_a_sending_status_and_a_delivery_and_back(at_0011):
    OutboundEmail = at_0011.get_model("wagtail_courses", "OutboundEmail")
    for status in ("delivered", "bounced", "rejected", "complained", "opened"):
        write(OutboundEmail, status, EVENT_AT)
    write(OutboundEmail, "sending", CLAIMED_AT)
    for status in ("pending", "sent", "failed", "withdrawn"):
        write(OutboundEmail, status)

    OutboundEmail = migrate(AFTER).get_model("wagtail_courses", "OutboundEmail")
    rows = OutboundEmail.objects.values_list(
        "kind", "status", "delivery_status", "delivery_changed_at", "claimed_at"
    )
    assert sorted(rows) == sorted(
        [
            ("delivered", "sent", "delivered", EVENT_AT, None),
            ("bounced", "sent", "bounced", EVENT_AT, None),
            ("rejected", "sent", "rejected", EVENT_AT, None),
            ("complained", "sent", "complained", EVENT_AT, None),
            ("opened", "sent", "opened", EVENT_AT, None),
            ("sending", "sending", "", None, CLAIMED_AT),
            ("pending", "pending", "", None, None),
            ("sent", "sent", "", None, None),
            ("failed", "failed", "", None, None),
            ("withdrawn", "withdrawn", "", None, None),
        ]
    )

    OutboundEmail = migrate(BEFORE).get_model("wagtail_courses", "OutboundEmail")
    back = OutboundEmail.objects.values_list("kind", "status", "status_changed_at")
    assert sorted(back) == sorted(
        [(status, status, EVENT_AT) for status in ("delivered", "bounced", "rejected")]
        + [(status, status, EVENT_AT) for status in ("complained", "opened")]
        + [("sending", "sending", CLAIMED_AT)]
        + [(status, status, None) for status in ("pending", "sent", "failed", "withdrawn")]
    )
