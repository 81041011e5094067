"""Reading the Bookings list and its exports as a facilitator meets them: the table's headings
and cells, a CSV as a spreadsheet program reads it, an XLSX workbook."""

import csv
import io

import openpyxl

from tests.support.html import parse
from wagtail_courses.models import CourseFormField


def add_triage_questions(course, *, shown=("Your role", "Topics", "Happy to be contacted")):
    """Four questions, in this order; those named in ``shown`` are ticked "show in the
    Bookings list"."""
    questions = [
        ("Your role", "singleline", ""),
        ("Why do you want to attend?", "multiline", ""),
        ("Topics", "checkboxes", "Café culture\nGardening\nTeams"),
        ("Happy to be contacted", "checkbox", ""),
    ]
    for order, (label, field_type, choices) in enumerate(questions):
        CourseFormField.objects.create(
            page=course,
            sort_order=order,
            label=label,
            field_type=field_type,
            choices=choices,
            required=False,
            show_in_bookings_list=label in shown,
        )


def answers(role="Ward manager", why="To learn.", topics=("Teams",), contact=True) -> dict:
    """``form_data`` as an application to ``add_triage_questions``' course stores it."""
    return {
        "your_role": role,
        "why_do_you_want_to_attend": why,
        "topics": list(topics),
        "happy_to_be_contacted": contact,
    }


def cell_text(td) -> str:
    """A cell's value, without the row's buttons (in its first cell)."""
    return (td.select_one(".title-wrapper") or td).get_text(" ", strip=True)


def all_headings(response) -> list[str]:
    """Every column's heading, "" for the one of checkboxes that select rows."""
    return [th.get_text(" ", strip=True) for th in parse(response).select("table.listing thead th")]


def list_headings(response) -> list[str]:
    """The headings of the columns that show something of the booking."""
    return [heading for heading in all_headings(response) if heading]


def sort_by(response, heading: str, *, descending: bool = False) -> str:
    """The list's ``o`` parameter that sorts it by the column headed ``heading``."""
    index = all_headings(response).index(heading)
    return f"-{index}" if descending else str(index)


def listed(response) -> list[dict[str, str]]:
    """Each row's cells by their column's heading (the checkbox column left out)."""
    soup = parse(response)
    headings = all_headings(response)
    rows = [
        dict(zip(headings, [cell_text(td) for td in row.select("td")], strict=True))
        for row in soup.select("table.listing tbody tr")
    ]
    for row in rows:
        row.pop("", None)
    return rows


def downloaded(response) -> bytes:
    """A download's bytes (a streamed response can be read only once: they are kept)."""
    if not hasattr(response, "downloaded"):
        response.downloaded = b"".join(response.streaming_content)
    return response.downloaded


def csv_rows(response) -> list[list[str]]:
    # As a spreadsheet program reads it: the byte order mark says UTF-8, and is not a cell's.
    content = downloaded(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(downloaded(response)))


def sheet_rows(response) -> list[list]:
    return [[cell.value for cell in row] for row in workbook(response).active.iter_rows()]


def download_name(response) -> str:
    """The file name the browser saves the download as."""
    disposition = response["Content-Disposition"]
    return disposition.split("filename=", 1)[1].strip('"')
