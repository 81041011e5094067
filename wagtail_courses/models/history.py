"""A booking's history: one row per change of its status, written once and never rewritten.

It is what the admin, a subject access export and a dispute rely on ("who cancelled this, and
when?"), so neither a row (``save``, ``delete``) nor a queryset (``update``, ``delete``) may
change it. The one exception the law asks for, removing the free-text reasons when a person's
data is anonymised, has a method of its own: ``anonymise_reasons``.

Migrations' historical models and Django's own deletion collector (a user deleted: their
changes keep ``changed_by`` NULL) go through plain managers, not these.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.choices import BookingStatus
from wagtail_courses.models.bookings import Booking


def refusal(model: type[models.Model], action: str) -> PermissionDenied:
    names = {"model": model._meta.verbose_name}
    if action == "delete":
        return PermissionDenied(_("%(model)s records cannot be deleted.") % names)
    return PermissionDenied(_("%(model)s records cannot be changed.") % names)


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk ways round ``AppendOnly``'s ``save`` and ``delete``."""

    def update(self, **kwargs):
        raise refusal(self.model, "change")

    def delete(self):
        raise refusal(self.model, "delete")

    def anonymise_reasons(self, placeholder: str) -> int:
        """Replace every reason in these rows that is not blank by ``placeholder``; return how
        many. The one rewrite of history there is, for ``services.anonymisation``: a reason is
        free text an editor typed about a person, and the person's data must go. Whose
        booking it was, the statuses, who changed them and when all stay as written.
        """
        rows = self.exclude(reason="")
        # The plain queryset's UPDATE: ours refuses every other.
        return models.QuerySet.update(rows, reason=placeholder)


class AppendOnly(models.Model):
    """A record that is written once and never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise refusal(type(self), "change")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise refusal(type(self), "delete")


class BookingStatusChange(AppendOnly):
    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        verbose_name=_("from"), max_length=20, choices=BookingStatus.choices, blank=True
    )
    to_status = models.CharField(verbose_name=_("to"), max_length=20, choices=BookingStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(verbose_name=_("reason"), blank=True, max_length=2000)
    changed_at = models.DateTimeField(verbose_name=_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking status change")
        verbose_name_plural = _("booking status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.booking_id}: {self.from_status or '-'} → {self.to_status}"
