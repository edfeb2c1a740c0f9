"""Celery tasks of buurtbemiddeling (see cases/services/mediation.py)."""
