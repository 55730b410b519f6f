"""Waiting for what the browser did to reach the database."""


def wait_for(found, page, seconds=20):
    """The browser's request commits in the live server's thread: poll until it has, then let
    the browser finish its navigation (its last response may still set the session cookie,
    which would overwrite the next person's log-in)."""
    for _ in range(seconds * 5):
        if result := found():
            page.wait_for_load_state("networkidle")
            return result
        page.wait_for_timeout(200)
    raise AssertionError("the browser's action never reached the database")
