"""Authorisation matrix entries for this app's routes (see tests/authz.py)."""

ROUTES: dict = {}
