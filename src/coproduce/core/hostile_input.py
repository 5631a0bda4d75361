"""Refuse input no person types, before any view sees it.

A NUL character in an address or a form, or a whole number too large for any database
column, can only come from a broken or hostile client. PostgreSQL refuses NUL in text and
SQLite refuses integers beyond 64 bits; both would otherwise surface as server errors deep
inside a query. Such a request gets the NHS "bad request" page (400) and changes nothing.
"""

import re

from django.shortcuts import render

#: Digits (with an optional sign) that no 64-bit integer column can hold.
_TOO_LONG_NUMBER = re.compile(r"^[+-]?0*\d{19,}$")


def is_hostile(value: str) -> bool:
    return "\x00" in value or bool(_TOO_LONG_NUMBER.match(value.strip()))


def _values(querydict):
    for key, values in querydict.lists():
        yield key
        yield from values


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._hostile(request):
            return render(
                request,
                "400.html",
                {"page_title": "Sorry, we could not read what was sent"},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _hostile(request) -> bool:
        if "\x00" in request.path:
            return True
        if any(is_hostile(v) for v in _values(request.GET)):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return any(is_hostile(v) for v in _values(request.POST))
        return False
