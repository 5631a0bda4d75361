"""Writes every create, change and delete of registered models to the audit log.

Models are registered once (in their app's ``ready``). Changes to many-to-many fields are
recorded on the record that owns the field, with the ids before and after; a delete that
empties a ``SET_NULL`` link on other registered records records each of those changes too
(the database makes them without signals). The person acting comes from the
request (see :class:`coproduce.core.middleware.AuditActorMiddleware`); outside a request
(the demo loader, commands) the actor is recorded as the system.
"""

import contextvars
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

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


def _pre_delete(sender, instance, **kwargs):
    """Record the links this delete will empty on other registered records (``SET_NULL``)."""
    for rel in instance._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.on_delete is not models.SET_NULL or rel.related_model not in _registered:
            continue
        linked = rel.related_model._base_manager.filter(**{rel.field.name: instance})
        for other in linked:
            record(
                "update",
                other,
                changes={rel.field.name: [instance.pk, None]},
                note=f"Link emptied when {instance._meta.verbose_name} {instance.pk} was deleted",
            )


def _post_delete(sender, instance, **kwargs):
    record("delete", instance)


def _m2m_field_name(model, through) -> str | None:
    for f in model._meta.many_to_many:
        if f.remote_field.through is through:
            return f.name
    return None


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Many-to-many changes: the ids before and after, on the record that owns the field."""
    if reverse:
        # instance is on the far side: record the change on each owning record it touches.
        owner_model = model
        if action in ("pre_clear", "post_clear"):
            return  # a reverse clear is recorded through the owners' own deletes or saves
        name = _m2m_field_name(owner_model, sender)
        if not name or owner_model not in _registered or not action.startswith("post_"):
            return
        verb = "added" if action == "post_add" else "removed"
        for owner in owner_model._base_manager.filter(pk__in=pk_set or ()):
            record(
                "update",
                owner,
                changes={name: {verb: [instance.pk]}},
            )
        return
    if type(instance) not in _registered:
        return
    name = _m2m_field_name(type(instance), sender)
    if name is None:
        return
    if action.startswith("pre_"):
        before = getattr(instance, "_audit_m2m_before", {})
        before[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
        instance._audit_m2m_before = before
        return
    before = getattr(instance, "_audit_m2m_before", {}).pop(name, None)
    after = sorted(getattr(instance, name).values_list("pk", flat=True))
    if before is not None and before != after:
        record("update", instance, changes={name: [before, after]})


def register(*model_classes: type[models.Model], exclude: tuple[str, ...] = ()) -> None:
    for model in model_classes:
        _registered[model] = set(exclude)
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
        pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid + "-predel")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
        for f in model._meta.many_to_many:
            m2m_changed.connect(
                _m2m_changed, sender=f.remote_field.through, dispatch_uid=f"{uid}-m2m-{f.name}"
            )
