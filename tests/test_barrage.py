"""A barrage in the suite: a thousand and more malformed or hostile requests, none a 5xx.

The requests go to every route a visitor (or a bot) can reach — the course page's application
form, the applicant's signed manage link, the "application received" page, the calendars and
the "All events" filters — and to the Bookings admin, as a coordinator who may only view
bookings. Every request is malformed or forbidden, so none may write a booking, a status change
or an email. The inputs are fixed lists (hostile values × fields × routes): a failure names
the same requests on every run, all of them at once, grouped by route and by exception.

The application form is sent twice, with a low rate limit and with none. The limit is asked
only of a post that passed the form's checks, and counts the bots' posts: with a low one, the
bots' posts early in the barrage use it up, and a post that gets past the form later meets it
(a 429); with none, that post goes on to the place service. (The default limit is sized for a
trust's rush: no barrage of this size meets it.) The limit counts application posts only
(``wagtail_courses.ratelimit`` is read by the course page alone), so the other routes are
sent once.

Each request runs in a savepoint: one database error (PostgreSQL aborts the transaction it
happens in) must not turn every later request into a 500 as well.
"""

import json
import logging
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from tests.admin_users import booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.applying import add_questions, application_data
from wagtail_courses.application_form import SIGNING_SALT
from wagtail_courses.models import Booking, BookingStatusChange, CourseFormField, OutboundEmail
from wagtail_courses.services.applicant import LINK_SEP, MANAGE_SALT, manage_token

URLENCODED = "application/x-www-form-urlencoded"
# The test client's own multipart label as another string: a body sent with it goes as it is.
MULTIPART = "multipart/form-data; boundary=" + BOUNDARY
YEAR = 365 * 24 * 60 * 60
MANY_FIELDS = "&".join(f"f{n}=1" for n in range(1_100))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS

# Text a visitor (or a bot) may type or paste into any box, or send in any parameter.
HOSTILE = [
    "",
    " ",
    "\x00",
    "Ada\x00Lovelace",
    "\x00" * 64,
    "\x01\x02\x03\x1b[31mred\x1b[0m",
    "Ada\r\nBcc: victim@example.org",
    "\r\n\r\n",
    "\t\v\f",
    "\x7f\x85\x9f",
    "\u2028\u2029",
    "\u202eevil\u202c",
    "\ufeff\u200b",
    "\ufffd",
    "ß" * 120,
    "😀" * 120,
    "\ufdfa" * 300,  # one character that NFKC normalisation makes 18
    "A" * 256,
    "A" * 20_000,
    "9" * 5_000,  # more digits than Python turns into an int by default
    "-1",
    "0",
    "1e309",
    "NaN",
    "-Infinity",
    "0x1F",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
    "${7*7}%s%s%n",
    "' OR '1'='1' --",
    '"; DROP TABLE wagtail_courses_booking; --',
    '=HYPERLINK("http://x","y")',
    "../../../../etc/passwd",
    "%00%ff%2e%2e",
    "null",
    "[]",
    '{"a": 1}',
    "ada@",
    "ada@example.org\r\nBcc: victim@example.org",
]
# Every kind of trouble in one value, and more than one value.
COMPOUND = "Ada\x00\x1b[31m\r\nBcc: victim@example.org\u2028\ufdfa" + "A" * 300
MULTIPLE = ["9" * 5_000, "\x00" * 64 + "A" * 20_000]

# Text search syntax of the search backends, and quotes that don't close.
SEARCH = [
    '"',
    '"""',
    "'",
    "mind\"ful'ness",
    "*",
    "mind*",
    "AND",
    "OR NOT",
    "NEAR(a b)",
    "(",
    "))",
    "a:b",
    "title:mind",
    "-",
    "^",
    "\\",
    "&|!<->",
    "mind & !ful",
    "$$",
    "%",
    "_",
    "a" * 100,
    "a " * 50,
    "a" * 101,
]

NUMBERS = [
    "",
    "0",
    "-1",
    "1.5",
    "2.0",
    "1e3",
    "abc",
    "nan",
    "inf",
    "-inf",
    "9" * 30,
    "9" * 5_000,
    "\x00",
    "0x10",
    "１",  # a full-width digit
    "٣",  # an Arabic-Indic digit
    "²",  # a digit to str.isdigit(), not to int()
    " 1 ",
    "1;2",
]


@dataclass(frozen=True)
class Probe:
    """One request of the barrage."""

    route: str  # which endpoint, for grouping the report
    method: str
    path: str
    # A dict (form fields, sent multipart) or a function that makes one as the request is
    # sent; bytes or str (a body, sent as it is); or None.
    data: object = None
    content_type: str | None = None  # for a body: URLENCODED unless given
    admin: bool = False  # sent by the logged-in coordinator, not an anonymous visitor
    note: str = ""

    def describe(self) -> str:
        data = self.note or (short(self.data) if self.data is not None else "")
        kind = f" [{self.content_type}]" if self.content_type else ""
        return f"{self.method} {clip(self.path, 110)} {data}{kind}"


def short(value, limit=90) -> str:
    return clip(repr(value), limit)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 14]}…({len(text)} chars)"


# The targets


@pytest.fixture
def targets(make_course):
    """A course with staff free and paid places, questions and a booking; a course with a
    question of every kind; a full course, whose booking's link must not open the first's."""
    course = make_course(
        sessions=1,
        facilitators=0,
        capacity=10,
        staff_free_places=2,
        staff_email_domains="trust.example",
        price=25,
        payment_method="invoice",
        payment_instructions="Ask finance for an invoice.",
    )
    add_questions(course)
    typed = make_course(sessions=1, facilitators=0)
    add_questions(typed)
    for order, (label, field_type, choices) in enumerate(
        [
            ("Years in post", "number", ""),
            ("Start date", "date", ""),
            ("Available from", "datetime", ""),
            ("Work email", "email", ""),
            ("Website", "url", ""),
            ("Directorate", "dropdown", "Acute\nCommunity"),
            ("Interests", "checkboxes", "Coaching\nMentoring"),
            ("Setting", "radio", "Hospital\nHome"),
            ("Shifts", "multiselect", "Day\nNight"),
            ("Newsletter", "checkbox", ""),
            ("Campaign", "hidden", ""),
        ],
        start=2,
    ):
        CourseFormField.objects.create(
            page=typed,
            sort_order=order,
            label=label,
            field_type=field_type,
            choices=choices,
            required=False,
        )
    full = make_course(sessions=1, facilitators=0, capacity=1)
    return {
        "course": course,
        "booking": BookingFactory(page=course, name="Ada Lovelace", email="ada@trust.example"),
        "typed": typed,
        "full": full,
        "other_booking": BookingFactory(page=full, name="Bob", email="bob@example.org"),
        "index": course.get_parent().specific,
        "questions": {
            field.label: field.clean_name for field in CourseFormField.objects.filter(page=typed)
        },
    }


# The application form


class Applications:
    """Application posts, each with a one-off token of its own: a reused token would find an
    earlier booking instead of making one, hiding a post that should have been refused."""

    def __init__(self):
        self.count = 0

    def data(self, **overrides) -> dict:
        """A complete, acceptable application from someone new, changed by ``overrides``.

        A new address each time too: one post wrongly taken must not make the next ones look
        refused (as a second application from the same address would be).
        """
        self.count += 1
        defaults = {
            "wc_email": f"grace{self.count}@example.org",
            "wc_name": "Grace Hopper",
            "wc_place": "paid",
        }
        return application_data(token=f"barrage{self.count:06d}", **{**defaults, **overrides})

    def broken(self, *fields: str, **overrides) -> dict:
        """An application that can't be accepted whatever ``fields`` hold: a required answer
        that is not one of them is left out."""
        data = self.data(**overrides)
        del data["wc_name" if "wc_consent" in fields else "wc_consent"]
        return data


def urlencoded(data: dict) -> str:
    return urlencode(data, doseq=True)


def application_probes(targets) -> list[Probe]:
    course, typed, q = targets["course"], targets["typed"], targets["questions"]
    make = Applications()
    probes = []

    def post(data, note="", content_type=None, page=course, method="POST"):
        route = "application form" + ("" if page is course else f" ({page.slug})")
        probes.append(Probe(route, method, page.url, data, content_type, note=note))

    visible = ["wc_name", "wc_email", "wc_place", q["Your role"], q["Why do you want to attend?"]]
    hidden = ["wc_leave_empty", "wc_shown_at", "wc_token"]
    extras = [name for name in q.values() if name not in visible]

    # 1. Any text in every box at once, the hidden fields as the form sent them: every field
    # is cleaned and the form shown again. Half multipart (as a browser sends a form with a
    # file), half urlencoded (a browser's plain form).
    for number, value in enumerate(HOSTILE):
        data = make.broken(*visible, **dict.fromkeys(visible, value))
        note = f"every box={short(value, 40)}"
        if number % 2:
            post(urlencoded(data), note, URLENCODED)
        else:
            post(data, note)
    # ... and in the hidden fields and the consent box, which tampering must not get past.
    for value in HOSTILE[::4]:
        fields = [*hidden, "wc_consent"]
        post(make.broken(*fields, **dict.fromkeys(fields, value)), f"hidden={short(value, 40)}")
    # One field at a time, with the worst of it and with two values.
    for field in [*visible, *hidden, "wc_consent"]:
        post(make.broken(field, **{field: COMPOUND}), f"{field}=COMPOUND")
        post(make.broken(field, **{field: MULTIPLE}), f"{field}=MULTIPLE")
    # The questions of every kind, every answer at once.
    typed_values = ["", "\x00", "abc", "A" * 5_000, "9" * 40, "-1", "NaN", "1e999999", "[]"]
    typed_values += ["2024-02-30", "99999-01-01T25:61", "javascript:alert(1)", "not@an@email"]
    for value in [*typed_values, ["Acute", "\x00" * 3]]:
        post(make.broken(**dict.fromkeys(extras, value)), f"every question={value!r}", page=typed)

    # 2. Complete applications but for one thing that can't be accepted on its own.
    for field in ("wc_name", "wc_email", "wc_consent", "wc_place", q["Your role"]):
        post(make.data(**{field: None}), f"{field} missing")
        post(make.data(**{field: ""}), f"{field} empty")
    for field in hidden[1:]:
        post(make.data(**{field: "x\x00y"}), f"{field} has a NUL")
    too_long = {
        "wc_name": "A" * 201,
        "wc_email": "a" * 250 + "@x.org",
        q["Your role"]: "A" * 256,
        q["Why do you want to attend?"]: "A" * 5_001,
        "wc_token": "t" * 65,
        "wc_shown_at": "s" * 201,
        "wc_place": "paid" * 1_000,
    }
    for field, value in too_long.items():
        post(make.data(**{field: value}), f"{field} of {len(value)} characters")
    for email in [
        "not-an-email",
        "ada@",
        "@example.org",
        "ada@example.org, bob@example.org",
        "Ada <ada@example.org>",
        "ada@example.org\r\nBcc: victim@example.org",
    ]:
        post(make.data(wc_email=email), f"wc_email={email!r}")
    for place in ["vip", "PAID", "waitlist", "staff_free_x"]:
        post(make.data(wc_place=place), f"unknown wc_place={place!r}")
    # A staff free place from an address that is not, or only looks like, the staff domain.
    for number, email in enumerate(
        [
            "grace@example.org",
            "grace@trust.example.evil.org",
            "grace@eviltrust.example",
            "trust.example@evil.org",
            "grace@trust-example.org",
            "grace@trust.examp1e",
        ]
    ):
        place = ("staff_free", "staff_waitlist")[number % 2]
        post(make.data(wc_email=email, wc_place=place), f"{place} for {email}")
    for bait in [" ", "http://spam.example", "\x00"]:
        post(make.data(wc_leave_empty=bait), f"honeypot filled with {bait!r}")
    good = make.data()
    signed = good["wc_shown_at"]
    token = good["wc_token"]
    for shown_at, note in [
        (None, "missing"),
        ("", "empty"),
        ("garbage", "garbage"),
        (str(time.time() - 60), "unsigned"),
        (signing.dumps([time.time() - 60, token], salt="another salt"), "another salt"),
        (signing.dumps([time.time() - 60, token]), "no salt"),
        (signed[:-1] + ("A" if signed[-1] != "A" else "B"), "tampered"),
        (signed.rsplit(":", 1)[0], "signature cut off"),
        (signing.dumps([float("inf"), token], salt=SIGNING_SALT), "signed infinity"),
        (signing.dumps(["soon", token], salt=SIGNING_SALT), "signed text"),
        (signing.dumps({"t": 1}, salt=SIGNING_SALT), "signed dict"),
        (signing.dumps(None, salt=SIGNING_SALT), "signed null"),
        (["x", "y"], "twice, both forged"),
    ]:
        post(make.data(wc_shown_at=shown_at, wc_token=token), f"wc_shown_at {note}")
    post(make.data(wc_token="someone else's"), "wc_token not the one wc_shown_at was signed with")
    # Signed as the post is sent (the barrage takes longer than a person needs to fill in).
    post(lambda: make.data(seconds_ago=0), "shown just now (too fast)")
    post(make.data(seconds_ago=-3_600), "shown an hour ahead")
    for seconds_ago in (2 * 24 * 60 * 60, 10 * YEAR):
        post(make.data(seconds_ago=seconds_ago), f"shown {seconds_ago} s ago (aged)")
    for field, value in [
        (q["Years in post"], "abc"),
        (q["Years in post"], "NaN"),
        (q["Years in post"], "1e999999"),
        (q["Start date"], "2024-02-30"),
        (q["Available from"], "2031-13-01 25:61"),
        (q["Directorate"], "Not a choice"),
        (q["Interests"], ["Coaching", "Not a choice"]),
        (q["Setting"], "Moon"),
        (q["Shifts"], ["Dusk"]),
        (q["Work email"], "not an email"),
        (q["Website"], "javascript:alert(1)"),
        (q["Campaign"], "c" * 256),
    ]:
        post(make.data(**{field: value}), f"{field}={short(value, 40)}", page=typed)

    # 3. Bodies a form never sends.
    complete = make.data()
    post(json.dumps(complete), "a complete application as JSON", "application/json")
    post(json.dumps([complete]), "a JSON list", "application/json")
    post("{", "broken JSON", "application/json")
    post(urlencoded(make.data()), "urlencoded body labelled text/plain", "text/plain")
    post(b"", "an empty urlencoded body", URLENCODED)
    post(b"", "an empty multipart body", MULTIPART)
    post(b"garbage", "multipart without a boundary", "multipart/form-data")
    post(b"--x\r\ngarbage", "a broken multipart body", "multipart/form-data; boundary=x")
    post(encode_multipart(BOUNDARY, make.broken()), "another boundary", f"{MULTIPART}x")
    post(encode_multipart(BOUNDARY, make.broken())[:-40], "multipart cut short", MULTIPART)
    for charset in ("utf-16", "utf-7", "bogus"):
        data = make.broken(wc_name="Zoë Ångström")
        for body in (urlencoded(data).encode(), urlencoded(data).encode("utf-16")):
            post(body, f"charset={charset} body {body[:2]!r}…", f"{URLENCODED}; charset={charset}")
        post(encode_multipart(BOUNDARY, data), "multipart", f"{MULTIPART}; charset={charset}")
    # Bytes that are not UTF-8, raw and percent-encoded, in values and in names.
    for raw in (b"\xff\xfe", b"\xed\xa0\x80"):
        base = urlencoded(make.broken("wc_name", wc_name=None)).encode()
        post(base + b"&wc_name=Ada" + raw, f"wc_name raw {raw!r}", URLENCODED)
        encoded = "".join(f"%{byte:02X}" for byte in raw).encode()
        post(base + b"&wc_name=Ada" + encoded, f"wc_name %-encoded {raw!r}", URLENCODED)
        post(base + b"&" + encoded + b"=1", f"a field named {raw!r}", URLENCODED)
        multipart = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="wc_name"\r\n\r\n'.encode()
            + raw
            + f"\r\n--{BOUNDARY}--\r\n".encode()
        )
        post(multipart, f"multipart wc_name raw {raw!r}", MULTIPART)
    post(b"%", "a lone percent sign", URLENCODED)
    post(b"&&&===&=&", "ampersands and equals", URLENCODED)
    post(b"\x00=\x00", "NUL name and value", URLENCODED)
    # Too big, or too many: Django's upload limits.
    why = q["Why do you want to attend?"]
    post(make.broken(**{why: "A" * 3_000_000}), "3 MB in a field")
    post(urlencoded(make.broken(**{why: "A" * 3_000_000})), "3 MB urlencoded", URLENCODED)
    post(urlencoded(make.broken()) + "&" + MANY_FIELDS, "1,100 fields", URLENCODED)
    files = {f"f{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(101)}
    post({**make.broken(), **files}, "101 files")
    # A file where text belongs.
    for field in ("wc_name", "wc_consent", "wc_shown_at"):
        data = make.data(**{field: None})
        data[field] = SimpleUploadedFile("a.txt", b"Ada Lovelace", content_type="text/plain")
        post(data, f"a file as {field}")
    # Other methods, with a complete application for a body.
    for method in ("PUT", "PATCH", "DELETE"):
        post(urlencoded(make.data()), "a complete application", URLENCODED, method=method)
    # The full course, whose form asks about its waitlist.
    full = targets["full"]
    post(make.broken(wc_place="paid_waitlist"), "waitlist, consent missing", page=full)
    post(make.data(wc_place="vip"), "unknown place", page=full)
    post(make.data(wc_place=None), "no place chosen", page=full)
    return probes


# The applicant's pages


def aged_token(reference: str, age: int) -> str:
    """A manage token for ``reference``, signed ``age`` seconds ago."""

    class Signed(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - age)

    signer = Signed(salt=MANAGE_SALT)
    return signer.sign(reference).replace(signer.sep, LINK_SEP)


def manage_probes(targets) -> list[Probe]:
    course, booking, other = targets["course"], targets["booking"], targets["other_booking"]
    valid = manage_token(booking)
    reference, timestamp, signature = valid.split(LINK_SEP, 2)
    url = f"{course.url}manage/"
    bad_tokens = [
        "x",
        "-",
        "--",
        "---",
        "a-b-c",
        "_",
        "0" * 5_000,
        "ü" * 30,
        valid[:-1],
        valid[:-10],
        valid + "x",
        valid + "-x",
        valid.upper(),
        valid.lower(),
        valid.replace("-", "_"),
        f"{other.reference}-{timestamp}-{signature}",
        f"{reference}-{timestamp}",
        f"{reference}--{signature}",
        f"-{timestamp}-{signature}",
        f"{reference}-zzzzzzzzzzzzzzzzzzzzzzzzzz-{signature}",
        f"{reference}-{signing.b62_encode(-1)}-{signature}",
        f"{reference}-{'9' * 5_000}-{signature}",
        f"{reference}-{timestamp}-{signature}-{signature}",
        valid * 3,
        # Signed by us, but not for this: another course's booking, another salt, no time,
        # and links past their age.
        manage_token(other),
        signing.TimestampSigner(salt=SIGNING_SALT).sign(booking.reference).replace(":", "-"),
        signing.TimestampSigner().sign(booking.reference).replace(":", "-"),
        signing.Signer(salt=MANAGE_SALT).sign(booking.reference).replace(":", "-") + "-x",
        aged_token(booking.reference, 2 * YEAR),
        aged_token(booking.reference, 100 * YEAR),
        aged_token("NOSUCHREF", 60),
        # A signature made as the site's signer makes them (SHA-256), with a key not the site's.
        f"{reference}-{timestamp}-"
        + signing.base64_hmac(
            f"{MANAGE_SALT}signer", f"{reference}:{timestamp}", "not the key", algorithm="sha256"
        ),
    ]
    probes = []
    # The signature with each of its characters changed in turn.
    for at in range(len(signature)):
        changed = "A" if signature[at] != "A" else "B"
        token = f"{reference}-{timestamp}-{signature[:at]}{changed}{signature[at + 1 :]}"
        for method, data in (("GET", None), ("POST", {"action": "cancel"})):
            probes.append(Probe("manage (bad token)", method, f"{url}{token}/", data))
    for token in bad_tokens:
        for method, data in (("GET", None), ("POST", {"action": "cancel"})):
            probes.append(Probe("manage (bad token)", method, f"{url}{token}/", data))
        for action in ("confirm", "leave_waitlist"):
            probes.append(
                Probe(
                    "manage (bad token)", "POST", f"{url}{token}/", urlencoded({"action": action})
                )
            )
    # Paths Wagtail doesn't route: characters its page paths don't take.
    unrouted = ["%00", "%3A", "a:b:c", "%ff", "..", "a%2Fb", f"{valid}%00"]
    for token in unrouted + [quote(value, safe="") for value in HOSTILE if value]:
        probes.append(Probe("manage (bad token)", "GET", f"{url}{token}/"))
        probes.append(Probe("manage (bad token)", "POST", f"{url}{token}/", {"action": "cancel"}))
    probes.append(Probe("manage (bad token)", "GET", url))
    probes.append(Probe("manage (bad token)", "GET", f"{url}{valid}/extra/"))

    # The applicant's own link, asked to do what it can't.
    link = f"{url}{valid}/"
    actions = [
        None,
        "",
        " ",
        "CONFIRM",
        "Cancel",
        "cancel ",
        " cancel",
        "cancel\x00",
        "cancel\r\n",
        "\x00",
        "delete",
        "approve",
        "decline",
        "mark_paid",
        "offer_place",
        "confirmed",
        "cancelled",
        "left",
        "leave-waitlist",
        "A" * 10_000,
        "__class__",
        "act",
        "<script>",
        ["bogus", "also bogus"],
        ["\x00", "\x00"],
    ]
    for number, action in enumerate(actions):
        data = {} if action is None else {"action": action}
        probes.append(
            Probe("manage (bad action)", "POST", link, urlencoded(data) if number % 2 else data)
        )
    for body, content_type in [
        (json.dumps({"action": "cancel"}), "application/json"),
        ("action=cancel", "text/plain"),
        ("action=bogus", f"{URLENCODED}; charset=utf-16"),
        ("action=bogus".encode("utf-16"), f"{URLENCODED}; charset=utf-16"),
        ("action=bogus", f"{URLENCODED}; charset=bogus"),
        (b"action=\xff\xfe", URLENCODED),
        (b"action=%ff%fe", URLENCODED),
        (b"action", URLENCODED),
        (b"%", URLENCODED),
        (b"garbage", "multipart/form-data"),
        (b"--x\r\ngarbage", "multipart/form-data; boundary=x"),
        (urlencoded({"action": "A" * 3_000_000}), URLENCODED),
        (MANY_FIELDS, URLENCODED),
    ]:
        probes.append(Probe("manage (bad action)", "POST", link, body, content_type))
    probes.append(
        Probe("manage (bad action)", "POST", link, {"action": SimpleUploadedFile("a", b"cancel")})
    )
    for method in ("PUT", "PATCH", "DELETE"):
        probes.append(Probe("manage (bad action)", method, link, "action=cancel"))
    # A GET never acts, whatever its query string says.
    for query in [
        "action=cancel",
        "action=confirm",
        *(urlencode({"done": value}) for value in HOSTILE),
        "done=confirmed&done=cancelled",
        "done=__class__",
        "done=items",
        "done[]=confirmed",
        "done=%ff",
        "done",
        "%00=%00",
        MANY_FIELDS,
    ]:
        probes.append(Probe("manage (GET ?done=)", "GET", f"{link}?{query}"))
    return probes


def received_probes(targets) -> list[Probe]:
    url = f"{targets['course'].url}application/"
    booking, other = targets["booking"], targets["other_booking"]
    references = [
        "x",
        "_",
        "-",
        "0" * 10_000,
        "ß" * 20,
        "ǅ" * 8,  # upper() of a title-case letter
        "ﬀ" * 8,  # upper() makes two letters of one
        other.reference,
        other.reference.lower(),
        booking.reference + "x",
        booking.reference[:-1],
        booking.reference + "-",
        "NULL",
        "None",
        "1-1",
        "__",
    ]
    probes = []
    for reference in references:
        probes.append(Probe("received", "GET", f"{url}{reference}/"))
        probes.append(Probe("received", "POST", f"{url}{reference}/", {"action": "cancel"}))
    for value in HOSTILE:
        probes.append(Probe("received", "GET", f"{url}{quote(value, safe='')}/"))
        probes.append(Probe("received", "POST", f"{url}{quote(value, safe='')}/", {"x": value}))
    probes.append(Probe("received", "GET", url))
    probes.append(Probe("received", "GET", f"{url}{booking.reference}/x/"))
    return probes


def calendar_probes(targets) -> list[Probe]:
    queries = [
        "format=json",
        "tz=Mars/Olympus",
        "start=garbage&end=%00",
        "%00=%00",
        "%ff=%fe",
        MANY_FIELDS,
        "x[]=1&x[]=2",
        "&&&",
        "=",
        *(urlencode({"x": value}) for value in HOSTILE[::4]),
    ]
    probes = []
    for route, base in (
        ("course calendar", f"{targets['course'].url}calendar/"),
        ("index calendar", f"{targets['index'].url}calendar/"),
    ):
        for query in queries:
            probes.append(Probe(route, "GET", f"{base}?{query}"))
        for method, data in [
            ("POST", {"x": "\x00"}),
            ("POST", b"garbage"),
            ("PUT", "x=1"),
            ("DELETE", None),
            ("OPTIONS", None),
        ]:
            probes.append(Probe(route, method, base, data))
        probes.append(Probe(route, "GET", f"{base}x/"))
        probes.append(Probe(route, "GET", f"{base}%00/"))
    return probes


def index_probes(targets) -> list[Probe]:
    url = targets["index"].url
    probes = []

    def get(params):
        query = params if isinstance(params, str) else urlencode(params, doseq=True)
        probes.append(Probe("events index", "GET", f"{url}?{query}"))

    for value in [*SEARCH, *HOSTILE[::5]]:
        get({"q": value})
    choices = ["\x00", "A" * 20_000, "' OR 1=1", "2031-13", "9999-99", "-2031-03"]
    for name in ("when", "mode", "delivery", "month"):
        for value in choices:
            get({name: value})
    for number, value in enumerate(NUMBERS):
        get({("page", "past_page")[number % 2]: value})
    for query in [
        "page=1&page=2",
        "past_page=1&past_page=abc",
        "page[]=1",
        "q[]=mind",
        "q[$ne]=1",
        "when[]=past",
        "month=2031-03&month=2031-04",
        "q=%22&when=past&mode=online&month=2031-03&page=abc&past_page=-1",
        "q=*&when=upcoming&page=" + "9" * 5_000,
        "q=%ff&when=%fe&mode=%fd&month=%fc",
        "%00=%00&q=%00",
        MANY_FIELDS,
        "q=" + "a" * 100_000,
        "&&&==&",
        "q",
        "page=&past_page=",
    ]:
        get(query)
    for method, data in [("POST", {"q": '"'}), ("POST", b"garbage"), ("PUT", None)]:
        probes.append(Probe("events index", method, url, data))
    return probes


# The Bookings admin, as a coordinator who may only view bookings


def admin_probes(targets) -> list[Probe]:
    index = reverse("wagtail_courses_booking_modeladmin_index")
    booking = targets["booking"]
    probes = []

    def get(params, route="bookings admin list"):
        query = params if isinstance(params, str) else urlencode(params, doseq=True)
        probes.append(Probe(route, "GET", f"{index}?{query}", admin=True))

    values = ["\x00", "-1", "9" * 30, "9" * 5_000, "²"]
    declared = ["page__id__exact", "page__isnull", "status__exact", "status__isnull"]
    declared += ["place_type__exact", "submit_time__gte", "submit_time__lt", "submit_time__isnull"]
    for name in [*declared, "o", "p", "e"]:
        for value in values:
            get({name: value})
        get({name: ["1", "x"]})
    for value in ["(", "[", "%", "\\", "\x00", "A" * 5_000, "\ufffd\u202e", "' OR 1=1"]:
        get({"q": value})
    # Lookups no filter declares: through relations to users' passwords, regular expressions.
    for name, value in [
        ("history__changed_by__password__startswith", "pbkdf2"),
        ("history__changed_by__is_superuser", "1"),
        ("page__owner__password__startswith", "pbkdf2"),
        ("page__owner__email__regex", "("),
        ("emails__body_text__contains", "manage"),
        ("submission_token__startswith", "a"),
        ("form_data__has_key", "x"),
        ("consent_text__icontains", "\x00"),
        ("email__regex", "(["),
        ("name__iregex", "*"),
        ("reference__in", ""),
        ("pk__gt", "9" * 30),
        ("\x00", "\x00"),
        ("a" * 300, "1"),
        ("_changelist_filters", "status__exact=x"),
    ]:
        get({name: value})
    for export in ("csv", "xlsx"):
        for params in [
            {"history__changed_by__password__startswith": "pbkdf2"},
            {"page__id__exact": "abc"},
            {"status__exact": "bogus"},
            {"submit_time__gte": "\x00"},
            {"o": "99.-99.x"},
            {"q": "\x00"},
        ]:
            get({"export": export, **params}, route="bookings admin export")
    for export in ("CSV", "pdf", "../x", "\x00", ["csv", "xlsx"]):
        get({"export": export}, route="bookings admin export")

    def path(route, url, method="GET", data=None):
        probes.append(Probe(route, method, url, data, admin=True))

    for pk in ["abc", "0", "-1", "1.5", "9" * 20, "9" * 400, "%00", "%ff", "1%20", "０", "²", "٣"]:
        path("bookings admin inspect", f"{index}inspect/{pk}/")
    for action in ("approve", "decline", "mark_paid", "offer_place", "cancel"):
        for pk in ("abc", "0", "9" * 20, "9" * 400):
            path("bookings admin actions", f"{index}{action}/{pk}/")
            path("bookings admin actions", f"{index}{action}/{pk}/", "POST", {"reason": "x"})
        # The coordinator may only look: the actions on a real booking are refused too.
        path(
            "bookings admin actions",
            booking_admin_url(action, booking.pk),
            "POST",
            {"reason": "\x00" * 3},
        )
    for email_pk in ("0", "9" * 20, "9" * 400, "٣"):
        path("bookings admin actions", f"{index}send_email/{booking.pk}/{email_pk}/")
        path("bookings admin actions", f"{index}send_email/{booking.pk}/{email_pk}/", "POST", {})
    for pk in ("9" * 20, "9" * 400):
        path("bookings admin actions", f"{index}send_email/{pk}/1/", "POST", {})
    for action in ("create", "edit/1", "delete/1", "history/1", "choose_parent"):
        path("bookings admin actions", f"{index}{action}/")
        path("bookings admin actions", f"{index}{action}/", "POST", {"name": "x"})
    return probes


# Sending them


def send(client: Client, probe: Probe):
    if probe.method == "GET":
        return client.get(probe.path)
    if callable(probe.data):
        return client.post(probe.path, probe.data())
    if isinstance(probe.data, dict):  # form fields, as a browser's multipart form sends them
        return client.post(probe.path, probe.data)
    # A body goes as it is, with the label the probe gives it (the client's post() would
    # encode it again in the charset the label names).
    return client.generic(
        probe.method, probe.path, probe.data or b"", probe.content_type or URLENCODED
    )


def row_counts() -> tuple[int, int, int]:
    return (
        Booking.objects.count(),
        BookingStatusChange.objects.count(),
        OutboundEmail.objects.count(),
    )


# Django 6.1 names transaction.savepoint() savepoint_create(), and deprecates the old name.
savepoint_create = getattr(transaction, "savepoint_create", transaction.savepoint)


def barrage(client: Client, coordinator: Client, probes: list[Probe]) -> tuple[str, Counter]:
    """Send every probe: what went wrong ("" if nothing did), and how many of each route's
    requests got each status."""
    offenders, writers, statuses = [], [], Counter()
    before = counts = row_counts()
    for probe in probes:
        savepoint = savepoint_create()
        response = send(coordinator if probe.admin else client, probe)
        status, exc_info = response.status_code, response.exc_info
        if response.streaming:  # a CSV export: its rows are read only as it is downloaded
            try:
                b"".join(response.streaming_content)
            except Exception:  # noqa: BLE001 - whatever breaks the download is the finding
                status, exc_info = f"{status}, then the download broke,", sys.exc_info()
        statuses[(probe.route, probe.method, response.status_code)] += 1
        try:
            now = row_counts()
            transaction.savepoint_commit(savepoint)
        except DatabaseError:  # the request left the transaction aborted (PostgreSQL)
            transaction.savepoint_rollback(savepoint)
            now = row_counts()
        if response.status_code >= 500 or isinstance(status, str):
            offenders.append((probe, status, exc_info))
        if now != counts:
            writers.append((probe, status, f"{counts} -> {now}"))
            counts = now
    return report(offenders, writers, before, row_counts()), statuses


# Where this checkout is, to name the app's files by their path in the repository.
REPOSITORY = str(Path(__file__).resolve().parent.parent) + "/"


def is_ours(frame) -> bool:
    return "/wagtail_courses/" in frame.filename and "/tests/" not in frame.filename


def is_plumbing(frame) -> bool:
    """Django's database and template layers and the database drivers: where an error shows,
    not where it was asked for."""
    return any(
        part in frame.filename
        for part in ("/django/db/", "/django/template/", "/psycopg/", "/sqlite3/")
    )


def place(frame) -> str:
    path = frame.filename.rsplit("/site-packages/", 1)[-1].removeprefix(REPOSITORY)
    return f"{path}:{frame.lineno} {frame.name}"


def landmarks(exc_info) -> list:
    """The innermost frame of the app's code, the innermost above Django's database and
    template layers (where the failing query or tag was asked for) and the innermost of all."""
    frames = traceback.extract_tb(exc_info[2])
    chosen = []
    for found in (
        [frame for frame in frames if is_ours(frame)],
        [frame for frame in frames if not is_plumbing(frame)],
        frames,
    ):
        if found and all(found[-1] is not frame for frame in chosen):
            chosen.append(found[-1])
    return chosen


def where(exc_info) -> str:
    return " -> ".join(place(frame) for frame in landmarks(exc_info))


def trail(exc_info) -> list[str]:
    """Those frames with their lines, and the exception (and what caused it)."""
    lines = [f"{place(frame)}: {frame.line}" for frame in landmarks(exc_info)]
    error = exc_info[1]
    while error is not None:
        lines.append(f"{type(error).__module__}.{type(error).__name__}: {short(str(error), 160)}")
        error = error.__cause__ or error.__context__
    return lines


def report(offenders, writers, before, after) -> str:
    lines = []
    groups = defaultdict(list)
    for probe, status, exc_info in offenders:
        if exc_info:
            cause = f"{exc_info[0].__name__}: {short(str(exc_info[1]), 100)}"
            groups[(probe.route, cause, where(exc_info))].append((probe, status, exc_info))
        else:
            groups[(probe.route, "a 5xx response, no exception", "")].append(
                (probe, status, exc_info)
            )
    if offenders:
        lines.append(f"{len(offenders)} requests gave a server error:")
    for (route, cause, at), members in groups.items():
        lines.append(f"\n== {route}: {cause}\n   at {at} ({len(members)} requests)")
        lines.extend(f"   {status} {probe.describe()}" for probe, status, _exc in members)
        if exc_info := members[0][2]:
            lines.append("   the first one's traceback, where it matters:")
            lines.extend(f"     {line}" for line in trail(exc_info))
    if writers or before != after:
        lines.append(f"\nRows (bookings, status changes, emails) went from {before} to {after}:")
        lines.extend(
            f"   {status} {probe.describe()}: {change}" for probe, status, change in writers
        )
    return "\n".join(lines)


@pytest.fixture
def quiet():
    """The report names each server error: Django's log of each (and of each upload it
    refuses) would bury it."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def clients(db):
    """An anonymous visitor, and a coordinator who may view bookings and nothing more.
    A server error is a 500 response to count, not an exception that stops the barrage."""
    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(user_in_group("viewer", "wagtail_courses.view_booking"))
    return Client(raise_request_exception=False), coordinator


# A bot's post counts against its address: a few of them use this up.
LOW_RATE_LIMIT = 5


@pytest.mark.parametrize("rate_limit", [LOW_RATE_LIMIT, 10**9], ids=["low-rate-limit", "unlimited"])
def test_no_malformed_application_is_a_server_error_or_writes_anything(
    rate_limit, settings, targets, clients, quiet
):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = rate_limit
    probes = application_probes(targets)

    problems, statuses = barrage(*clients, probes)

    assert not problems, problems
    # The posts reached the form's checks, and were refused there (or, past them, by the limit).
    answers = {status for (_route, method, status) in statuses if method == "POST"}
    assert answers == ({400, 429} if rate_limit == LOW_RATE_LIMIT else {400}), statuses


def test_no_hostile_request_elsewhere_is_a_server_error_or_writes_anything(targets, clients, quiet):
    probes = [
        *manage_probes(targets),
        *received_probes(targets),
        *calendar_probes(targets),
        *index_probes(targets),
        *admin_probes(targets),
    ]
    assert len(probes) + len(application_probes(targets)) >= 1_000

    problems, _statuses = barrage(*clients, probes)

    assert not problems, problems
