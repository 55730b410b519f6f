"""The private file storage: certificates and anything personal.

Never served by address. A view checks who is asking, audits the view, then streams the file
(on disk) or sends the person to a signed address that stops working within a minute (object
storage). Public files (story and event images) stay in the default storage.
"""

from __future__ import annotations

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    """For ``FileField(storage=...)``: a callable, so migrations name it rather than its options."""
    return private_storage


def signs_its_urls(storage) -> bool:
    """Object storage hands out signed, short-lived addresses; a folder on disk has none."""
    return bool(getattr(storage, "querystring_auth", False))


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty
