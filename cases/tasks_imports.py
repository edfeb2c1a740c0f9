"""Celery tasks of the bulk hour import (see cases/services/imports.py)."""
