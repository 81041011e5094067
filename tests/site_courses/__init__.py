"""A site's own app, listed before ``wagtail_courses``, that extends the course page the way
Wagtail's docs teach: its models import the app's extension points while Django loads them."""
