"""Training courses, applications and bookings for Wagtail sites."""
