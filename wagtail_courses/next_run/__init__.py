"""Copying a course for its next run, in the Wagtail admin: "Copy for a new run".

``plan`` moves a run's sessions to a new first date (no database), ``service`` copies the
course and its sessions, ``forms`` and ``views`` are the editor's side, ``hooks`` its button.
"""
