#!/usr/bin/env python
import os
import sys

# Commands that only read the models and write code: they sign nothing and serve nothing, so
# they may run on a developer's checkout without the production SECRET_KEY.
KEYLESS_COMMANDS = {"makemigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meerwaarde.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ.setdefault("SECRET_KEY", "only-for-makemigrations-signs-nothing")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
