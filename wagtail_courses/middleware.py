"""Middleware a site adds to ``MIDDLEWARE``, before ``CsrfViewMiddleware``.

Django (5.2) refuses a form body (``application/x-www-form-urlencoded``) that declares a
charset other than UTF-8 by raising ``BadRequest`` from ``request.POST``, but without marking
the body as unreadable: CSRF's check reads ``request.POST`` as soon as there is a CSRF cookie,
and the 400 and 500 error views read it again through ``requires_csrf_token``, so the error
raised while answering the error escapes, and every URL is a server error. It also compares
the charset's name as spelt, so ``charset=UTF8`` is refused in the same way.
"""

import codecs

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
UNREADABLE = _("The form could not be read: send it again from the page, in UTF-8.")


class UndecodableFormMiddleware:
    """Answers 400 to a form body that can't be read in the charset it declares.

    A UTF-8 charset under another name (``UTF8``, ``utf_8``) is read as UTF-8. Only form
    bodies are read here, which Django keeps, so ``request.body`` still works after.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == FORM_CONTENT_TYPE:
            try:
                if request.encoding and codecs.lookup(request.encoding).name == "utf-8":
                    request.encoding = "utf-8"
                request.POST  # noqa: B018 (read now, where a failure can be answered)
            except (BadRequest, UnicodeDecodeError, LookupError):
                return HttpResponseBadRequest(UNREADABLE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
