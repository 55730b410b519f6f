import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The database rolls back between tests but the memory cache does not: start clean, so a
    # page (or rendition) cached by an earlier test is never served to this one.
    cache.clear()
    yield
    cache.clear()
