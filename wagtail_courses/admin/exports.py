"""Spreadsheet exports of what visitors typed, safe to open in Excel or LibreOffice.

For views with Wagtail's ``SpreadsheetExportMixin``: the Bookings list (``booking_list``) and
Wagtail's Forms view of a course (``submissions``); personal data downloads (``person``) use
``neutralise_formula`` on their own CSV. Every answer was typed by a visitor, and spreadsheet
programs run a cell that starts like a formula (OWASP's "CSV injection").
"""

import codecs
import csv
import re

from wagtail.admin.views.mixins import Echo

# What spreadsheet programs read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A list separator in some locale (Excel splits a CSV line at the locale's, not at the comma),
# then, maybe after spaces, a formula: the cell it starts once split. Neither quoting nor a
# leading apostrophe helps there, so an apostrophe goes after the separator too.
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|] *)(?=[=+\-@].)")
# Control characters an XLSX file cannot hold (openpyxl refuses the whole file for one).
XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


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
