"""Writes every create, change and delete of registered models to the audit log.

Models are registered once (in their app's ``ready``). The person acting comes from the
request (see :class:`coproduce.core.middleware.AuditActorMiddleware`); outside a request
(the demo loader, commands) the actor is recorded as the system.
"""

import contextvars
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

_actor = contextvars.ContextVar("coproduce_audit_actor", default=None)
_registered: dict[type, set[str]] = {}
ALWAYS_EXCLUDED = {"password", "last_login"}


def set_actor(user):
    return _actor.set(user)


def reset_actor(token) -> None:
    _actor.reset(token)


def current_actor():
    return _actor.get()


def _value(obj, f):
    value = getattr(obj, f.attname)
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _snapshot(obj, excluded) -> dict:
    return {
        f.name: _value(obj, f)
        for f in obj._meta.concrete_fields
        if f.name not in excluded and not f.primary_key
    }


def _provider_id(obj):
    for attr in ("provider_id_for_scope", "provider_id"):
        value = getattr(obj, attr, None)
        if isinstance(value, int):
            return value
    return None


def record(action, obj, *, actor=None, changes=None, note="") -> None:
    """Append one entry to the audit log."""
    from .models import AuditEvent

    actor = actor if actor is not None else current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    AuditEvent.objects.create(
        actor=actor,
        actor_label=(actor.email if actor is not None else "System"),
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        provider_id=_provider_id(obj),
        changes=changes or {},
        note=note[:300],
    )


def record_view(user, obj, note="") -> None:
    """Record that someone viewed special-category data."""
    record("view", obj, actor=user, note=note)


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    excluded = _registered[sender] | ALWAYS_EXCLUDED
    try:
        before = sender._base_manager.get(pk=instance.pk)
    except sender.DoesNotExist:
        instance._audit_before = None
        return
    instance._audit_before = _snapshot(before, excluded)


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    excluded = _registered[sender] | ALWAYS_EXCLUDED
    after = _snapshot(instance, excluded)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(
            "create",
            instance,
            changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
        )
        return
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if diff:
        record("update", instance, changes=diff)


def _post_delete(sender, instance, **kwargs):
    record("delete", instance)


def register(*model_classes: type[models.Model], exclude: tuple[str, ...] = ()) -> None:
    for model in model_classes:
        _registered[model] = set(exclude)
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
