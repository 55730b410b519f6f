#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if sys.argv[1:2] == ["demo_code"]:
        # The README's `manage.py demo_code <e-mail>` runs on a laptop with no settings in the
        # environment. It is safe anywhere: it answers only for demo people that seed_demo made
        # (accounts.demo.demo_totp_secret_in_use) and changes nothing.
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
