"""The ``pandu`` console script: Django's ``manage.py`` for this project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # Demo mode allows the well-known demo secret and plain HTTP on localhost.
        os.environ.setdefault("PANDU_DEMO", "1")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (loads the settings now, to report problems clearly)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Pandu cannot start: {exc}\n")
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
