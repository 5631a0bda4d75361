"""Lets these tests read ``response.context`` from Jinja2 pages, as they can for Django's own
templates: the Jinja2 backend does not send the ``template_rendered`` signal, so it is sent
here while these tests run."""

import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered


@pytest.fixture(autouse=True)
def _jinja2_context(monkeypatch):
    original = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return original(self, context, request)

    monkeypatch.setattr(jinja2_backend.Template, "render", render)
