"""Text as people type it, made fit for where it goes: on one line, or on lines of plain text.

Titles, names and subjects end up in email headers, calendar files and plain-text emails, where
a line break or a control character is not text: it starts a new header or calendar line, makes
the file invalid, or moves the cursor of whoever reads it in a terminal. A leaf module: it
imports nothing of ours.
"""

import re

# Unicode's control characters (category Cc: C0, DEL and C1) and its line and paragraph
# separators, which some programs also break lines at.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A terminal's escape sequences (colours, cursor moves, "clear screen"): gone whole, not
# leaving "[2J" behind once their ESC is removed.
ESCAPE_SEQUENCES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# Every way of ending a line that a pasted text may carry (Word's line break is \x0b).
LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What text of several lines can do without, once its line breaks are all \n.
CONTROL_EXCEPT_LINES_AND_TABS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Search engines' query syntax (quotes, *, parentheses, AND/OR/NOT) is not words.
WORD = re.compile(r"\w+")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def _space_or_nothing(match: re.Match) -> str:
    # A break or a tab separated two words; other control characters separated nothing.
    return " " if match.group().isspace() else ""


def single_line(value: str) -> str:
    """``value`` on one line: line breaks and tabs become spaces, other control characters go.

    Runs of spaces become one, and the ends are trimmed, as a one-line box would show it.
    """
    value = ESCAPE_SEQUENCES.sub("", value)
    return " ".join(CONTROL_CHARACTERS.sub(_space_or_nothing, value).split())


def multi_line(value: str) -> str:
    """``value`` with its lines ending in ``\\n`` and no control characters but those and tabs."""
    value = LINE_BREAKS.sub("\n", ESCAPE_SEQUENCES.sub("", value))
    return CONTROL_EXCEPT_LINES_AND_TABS.sub("", value)


def search_words(value: str) -> str:
    """Only the words of a visitor's search, so that any text searches safely.

    Wagtail's database search backend on SQLite puts each term in double quotes without
    escaping a quote inside it, so one unbalanced ``"`` is an FTS5 syntax error; other
    backends have other syntax. Words are what the index holds anyway.
    """
    return " ".join(WORD.findall(value))
