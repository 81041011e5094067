"""The reference course, as published: the demo content ``load_demo`` builds.

Text is the published page's own. Where the page is silent (price, contact emails) the values
are placeholders, marked as such.
"""

from datetime import date, time, timedelta

TITLE = "Compassionate Leadership Training course – Tuesdays"
SLUG = "compassionate-leadership-training-course-tuesdays"
TIME_ZONE = "Europe/London"

SUMMARY = (
    "Compassionate Leadership Training for health and social care leaders. Compassionate "
    "leadership is linked with improved learning and innovation, and reduced staff stress, "
    "injuries and absenteeism, and even reduced patient mortality."
)

# The published schedule: the first session, the weekly sessions as days after it, the two
# skipped weeks, and the consolidation session. load_demo moves this pattern to a future year.
PUBLISHED_FIRST_SESSION = date(2024, 5, 14)
START_TIME = time(15, 0)
END_TIME = time(17, 0)
WEEKLY_OFFSETS = [timedelta(days=d) for d in (0, 7, 21, 28, 42, 49)]
SKIPPED_OFFSETS = [timedelta(days=d) for d in (14, 35)]
CONSOLIDATION_OFFSET = timedelta(days=133)
CONSOLIDATION_TITLE = "Consolidation session"

# The schedule paragraph; its dates are filled in from the sessions load_demo builds.
SCHEDULE_TEXT = (
    "Six online weekly two-hour sessions from Tuesday {first} until {last_weekly} "
    "(no sessions {skipped}). There is also a two-hour online consolidation session on "
    "{consolidation} from 15.00 to 17.00 to review our learning and practice."
)

INTRODUCTION = [
    "At the heart of compassion is the notion that everyone experiences difficulty, and that we "
    "can all play a role in alleviating our own difficulties and those of others. Whether this is "
    "compassion for ourselves or the people we lead, people who lead us, colleagues or service "
    "users. We won’t always feel like helping and will sometimes be tired or overwhelmed or "
    "unable to connect.",
    "Although it helps to have positive feelings, we do not have to feel compassion to be "
    "compassionate. We can recognise our physical and mental state, resource ourselves as best we "
    "can, and respond from our firm compassionate intention, rather than from impulse or intense "
    "emotion.",
    "How does this translate into compassion in health, social care and other organisations? How "
    "might we think about compassionate leadership, working with colleagues, service users and "
    "their friends and families? Prof Michael West has spent his career answering this question, "
    "pointing to research that shows how compassionate leadership is linked with improved "
    "learning and innovation, and reduced staff stress, injuries and absenteeism, and even "
    "reduced patient mortality. In short, compassion is essential to high quality healthcare.",
    "Dr Robert Marx and Professor Clara Strauss have designed a training programme of six weekly "
    "sessions, each lasting two hours, with an additional follow-on two hour session a couple of "
    "months following the completion of the course.",
]

SECTIONS = [
    (
        "Who is the course for?",
        "The course is for anyone in a leadership role in a health and social care organisation, "
        "recognising that leadership occurs throughout health and social care roles, and at "
        "different levels of seniority.",
    ),
    (
        "What is the format of the course?",
        "The course combines in-session mindfulness and compassion practice with reflection and "
        "discussion, as well as an invitation for home mindfulness and compassion practice to "
        "help cultivate compassion for ourselves and the people we lead and work with.",
    ),
]

# The published page sends readers to a separate form ("please head here"); here the form is on
# the course page itself, so that sentence points below.
BOOKING_INFORMATION = [
    "You can book your place below.",
    "Please note, we ask all those who book a place on this training programme to fill in an "
    "application form that will be sent to the facilitators. If you haven’t already, please "
    "fill in the form below. If you are a member of staff at the "
    "Sussex Partnership NHS Foundation Trust, please fill in the form first, before paying. There "
    "are a limited number of free places for staff that are offered on a first-come first-served "
    "basis.",
]

# Placeholder: the published page does not state the price of a paid place.
PRICE = 150
CURRENCY = "GBP"

FACILITATORS = [
    {
        "name": "Clara Strauss",
        "slug": "clara-strauss",
        "job_title": "Consultant clinical psychologist",
        "organisation": "Sussex Mindfulness Centre",
        "role": "Course lead",
        "colour": (0, 94, 184),
        "biography": (
            "Clara is Co-Lead (Research) for the Sussex Mindfulness Centre. She is a consultant "
            "clinical psychologist, mindfulness teacher and clinical researcher. In her research, "
            "Clara is particularly interested in developing and evaluating new forms of "
            "mindfulness-based intervention, especially for those people who may not be willing "
            "or able to access MBCT. Along with other members of her research team, Clara has "
            "been evaluating mindfulness courses for people experiencing depression, for people "
            "distressed by hearing voices and for people experiencing obsessive-compulsive "
            "disorder."
        ),
    },
    {
        "name": "Ruth Sequeira",
        "slug": "ruth-sequeira",
        "job_title": "Senior trainer, supervisor and mindfulness teacher",
        "organisation": "Sussex Mindfulness Centre",
        "role": "",
        "colour": (0, 114, 86),
        "biography": (
            "Ruth Sequeira is as senior trainer, supervisor and mindfulness teacher for the "
            "Sussex Mindfulness Centre. She is also a psychological therapist and the "
            "Mindfulness and Compassion Training and Retreat Lead at the Mindfulness Network. "
            "Ruth has a history of working in mental health services and until recently worked "
            "as a clinical lead in the Child & Adolescent Mental Health Service (CAMHS) in "
            "Sussex. Ruth has a longstanding interest in mindfulness, meditation and movement, "
            "and is passionate about increasing access to mindfulness courses in different "
            "populations."
        ),
    },
    {
        "name": "Catherine Cameron",
        "slug": "catherine-cameron",
        "job_title": "Clinical psychologist",
        "organisation": "Sussex Partnership NHS Foundation Trust",
        "role": "",
        "colour": (125, 69, 155),
        "biography": (
            "Catherine is a clinical psychologist working within the community-based persistent "
            "pain team within Sussex Partnership. She has a particular interest in mindfulness "
            "and self-compassion in pain. She co-facilitates the mindful self-compassion course "
            "for staff with Robert Marx having trained to facilitate the Mindful Self-Compassion "
            "course in 2014. Before that Catherine ran the mindfulness-based Mindfulness for Pain "
            "courses in Hove Polyclinic. She is also involved in the mindfulness all day "
            "retreats run for those who have attended the eight -week courses within Sussex "
            "Partnership NHS Foundation Trust."
        ),
    },
]

# Placeholder addresses on a reserved domain: they receive applications, never shown publicly.
CONTACT_EMAIL_DOMAIN = "example.org"

# The published page sends applicants to a form "that will be sent to the facilitators"; its
# questions are not published. These are the questions such a form asks. Whether the applicant
# is staff is the app's own "Your place" question (a staff free place or a paid place).
APPLICATION_QUESTIONS = [
    {"label": "Job title", "field_type": "singleline", "required": True},
    {"label": "Organisation", "field_type": "singleline", "required": True},
    {
        "label": "What would you like to gain from the course?",
        "field_type": "multiline",
        "required": False,
    },
]
WHAT_HAPPENS_NEXT = (
    "The facilitators will read your application and contact you about your place. Staff of "
    "Sussex Partnership NHS Foundation Trust: please wait for this before paying."
)

# Places. The published page says only "a limited number of free places for staff ... first
# come, first served" and that applications go to the facilitators before anyone pays; the
# numbers, the staff domain and the payment details below are placeholders.
CAPACITY = 40
STAFF_FREE_PLACES = 12
STAFF_EMAIL_DOMAINS = "sussexpartnership.nhs.uk\nspft.nhs.uk"
REQUIRES_APPROVAL = True
PAYMENT_INSTRUCTIONS = (
    "Once the facilitators have approved your application, we email you an invoice from "
    "Sussex Partnership NHS Foundation Trust. Please pay it within 14 days, quoting your "
    "booking reference."
)
JOINING_LINK = "https://meet.example.org/compassionate-leadership"
