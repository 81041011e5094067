"""Adding a course's sessions from a repeating schedule, in the Wagtail admin.

``plan`` turns a schedule into planned sessions (no database), ``service`` numbers and
creates them, ``forms`` and ``views`` are the editor's side.
"""
