#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")
    # manage.py is the developer's tool: development mode unless told otherwise. Deployments set DJANGO_DEBUG=0
    # (docker-compose.yml does), and gunicorn and Celery never pass through here.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
