"""What the test modules share: helpers to apply, read pages and emails, and make bookings.

A test module imports its helpers from here (and its data from ``tests.factories``), never
from another test module: one module's tests can then move, or be split, without breaking
another's imports, and a helper has one home to be found in (``tests/test_suite_layout.py``).
"""
