"""Spreadsheet exports of what visitors typed, safe to open in Excel or LibreOffice, and
readable there.

For views with Wagtail's ``SpreadsheetExportMixin`` (the Bookings list, ``booking_list``);
personal data downloads (``person``) use ``neutralise_formula`` on their own CSV. Every answer
was typed by a visitor, and spreadsheet programs run a cell that starts like a formula
(OWASP's "CSV injection").
"""

import codecs
import csv
import datetime
import re

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from wagtail.admin.views.mixins import Echo

# What spreadsheet programs read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A list separator in some locale (Excel splits a CSV line at the locale's, not at the comma),
# then, maybe after spaces, a formula: the cell it starts once split. Neither quoting nor a
# leading apostrophe helps there, so an apostrophe goes after the separator too.
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|] *)(?=[=+\-@].)")
# Control characters an XLSX file cannot hold (openpyxl refuses the whole file for one).
XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# What an Excel sheet's name may not hold, and how long it may be.
SHEET_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_LENGTH = 31
# An XLSX column's width, in characters: enough for its longest line, within these.
NARROWEST, WIDEST = 8, 60


def course_in_filename(course) -> str:
    """The course's part of a download's name: its title as a slug (never empty)."""
    return slugify(course.title)[:80].strip("-") or f"course-{course.pk}"


def neutralise_formula(value: str) -> str:
    """A ``'`` before each place a formula could start makes spreadsheet programs show text.

    That is the cell's start, and each point after a list separator (``, ; TAB |``) where a
    program using that separator would start a new cell. A lone ``-`` stays as it is.
    """
    value = FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if len(value) > 1 and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


class FormulaSafeExportMixin:
    """Visitors' text stays text in exports, and the CSV reads as UTF-8 in Excel.

    XLSX cells are already written as strings by Wagtail (it turns openpyxl's formula cells
    back into text), so only control characters, which would break the file, are removed
    there. CSV has no types: each place a formula could start gets an apostrophe, the
    headings (editors' question labels) included. The CSV starts with a UTF-8 byte order mark,
    without which Excel reads it in the machine's code page and garbles every accent.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if not isinstance(value, str):
            return value
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        if export_format == self.FORMAT_XLSX:
            return XLSX_ILLEGAL.sub("", value)
        return value

    def stream_csv(self, queryset):
        """Wagtail's CSV (``SpreadsheetExportMixin.stream_csv``), after one byte order mark."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield codecs.BOM_UTF8
        yield writer.writerow(
            {
                field: neutralise_formula(self.get_heading(queryset, field))
                for field in self.list_export
            }
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response


def local_time(value: datetime.datetime) -> str:
    """A moment as text in the local time zone (the admin user's, else the site's), to the
    minute: "2026-12-01 07:29", which sorts as it reads."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def sheet_title(title: str, fallback: str) -> str:
    """``title`` as Excel lets a sheet be named: at most 31 characters, none of ``[]:*?/\\``,
    not starting or ending with an apostrophe, and not "History" (Excel's own)."""
    title = " ".join(SHEET_TITLE_ILLEGAL.sub(" ", XLSX_ILLEGAL.sub("", title)).split())
    title = title[:SHEET_TITLE_LENGTH].strip(" '")
    if not title or title.casefold() == "history":
        return fallback
    return title


def column_widths(rows: list[list]) -> list[float]:
    """Each column's width, in characters: its longest line, and a little room."""
    widths = []
    for column in zip(*rows, strict=True):
        longest = max(
            (len(line) for value in column if value is not None for line in str(value).split("\n")),
            default=0,
        )
        widths.append(min(max(longest + 2, NARROWEST), WIDEST))
    return widths


class ReadableExportMixin:
    """Exports as a person opens them: times as text in the local time zone, rather than
    Wagtail's ``2026-12-01 07:29:19.698093+00:00`` (CSV) or a UTC date (XLSX); an XLSX sheet
    named ``get_sheet_title()``, its columns as wide as their text and its heading row frozen.

    Wagtail's XLSX keeps every cell a string (it turns openpyxl's formulas back into text):
    the headings (editors' question labels) are written so too.
    """

    def get_sheet_title(self) -> str:
        return "Sheet1"

    def get_preprocess_function(self, field, value, export_format):
        if isinstance(value, datetime.datetime):
            return local_time
        return super().get_preprocess_function(field, value, export_format)

    def write_xlsx(self, queryset, output):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=sheet_title(self.get_sheet_title(), "Sheet1"))
        headings = [self.heading_cell(sheet, queryset, field) for field in self.list_export]
        rows = [list(self.generate_xlsx_row(sheet, self.to_row_dict(item))) for item in queryset]
        values = [[cell.value for cell in row] for row in [headings, *rows]]
        # A write-only sheet takes its columns' widths and its panes before its first row.
        for number, width in enumerate(column_widths(values), start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = "A2"
        for row in [headings, *rows]:
            sheet.append(row)
        workbook.save(output)

    def heading_cell(self, sheet, queryset, field):
        cell = WriteOnlyCell(sheet, XLSX_ILLEGAL.sub("", self.get_heading(queryset, field)))
        cell.data_type = "s"
        return cell
