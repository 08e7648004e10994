"""A saved or deleted chamber is served as it is now: the middleware's index of chambers is dropped, and a
deleted chamber's cached figures with it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .figures_cache import forget_figures
from .middleware import forget_chambers
from .models import Chamber


@receiver([post_save, post_delete], sender=Chamber, dispatch_uid="chambers.forget_chamber_index")
def _forget_chamber_index(**kwargs: object) -> None:
    forget_chambers()


@receiver(post_delete, sender=Chamber, dispatch_uid="chambers.forget_chamber_figures")
def _forget_chamber_figures(instance: Chamber, **kwargs: object) -> None:
    # Its statistics rows went with it; a chamber created later never reads their cached counts.
    forget_figures(instance.pk)
