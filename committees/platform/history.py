"""Every create, update and delete of a tracked record leaves a row in its change history.

django-simple-history writes that row from the signals of ``save()`` and ``delete()``.
``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` send no signal, so they
would change records without a trace; the QuerySet of every tracked model derives from
``HistoryQuerySet``, which refuses them with ``UntrackedWriteError``. The portal's bulk
writes go through ``bulk_create_with_history`` / ``bulk_update_with_history`` below, which
write the history rows in bulk as well. ``QuerySet.delete()`` stays allowed: once a
receiver listens (simple_history connects one), Django deletes row by row and sends
``post_delete`` for each, so each deleted row gets its "-" record.

Two writes Django makes behind our back when it deletes a record: it sets the links
pointing at it with ``on_delete=SET_NULL`` to NULL through an update of the base manager,
and it removes its rows from many-to-many tables without an ``m2m_changed`` signal. The
receivers connected by ``record_cleared_links()`` give each record whose link was cleared
its "~" row, as if the link had been cleared by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from simple_history import utils

# True inside the helpers below (and ``untracked_writes``): the bulk write is theirs.
_bulk_writes_allowed: ContextVar[bool] = ContextVar("bulk_writes_allowed", default=False)


class UntrackedWriteError(RuntimeError):
    """A bulk write that would change tracked records without writing their history."""


def is_tracked(model: type[models.Model]) -> bool:
    """Whether django-simple-history keeps the change history of ``model``."""
    return hasattr(model._meta, "simple_history_manager_attribute")


@contextmanager
def _allowed() -> Iterator[None]:
    token = _bulk_writes_allowed.set(True)
    try:
        yield
    finally:
        _bulk_writes_allowed.reset(token)


@contextmanager
def untracked_writes() -> Iterator[None]:
    """Allow bulk writes that leave no history. For test set-up that must put a row in a
    state no service writes, and one-off repairs; never in the portal's own code (a test
    checks that)."""
    with _allowed():
        yield


class HistoryQuerySet(models.QuerySet):
    """The QuerySet of a tracked model: bulk writes that skip the history are refused."""

    def _refuse(self, operation: str, helper: str) -> None:
        if not _bulk_writes_allowed.get():
            name = self.model.__name__
            raise UntrackedWriteError(
                f"{name}.objects…{operation} would change {name} rows without writing their "
                f"change history. Save each object, or use committees.platform.history.{helper}."
            )

    def update(self, **kwargs: Any) -> int:
        self._refuse("update()", "bulk_update_with_history(objs, model, fields, actor=…)")
        return super().update(**kwargs)

    def bulk_update(self, objs: Iterable[models.Model], fields: Sequence[str], **kwargs) -> int:
        self._refuse("bulk_update()", "bulk_update_with_history(objs, model, fields, actor=…)")
        return super().bulk_update(objs, fields, **kwargs)

    def bulk_create(self, objs: Iterable[models.Model], **kwargs) -> list[models.Model]:
        self._refuse("bulk_create()", "bulk_create_with_history(objs, model, actor=…)")
        return super().bulk_create(objs, **kwargs)


def bulk_create_with_history(
    objs: Iterable[models.Model],
    model: type[models.Model],
    *,
    actor=None,
    batch_size=None,
    reason: str | None = None,
) -> list[models.Model]:
    """Create ``objs`` in bulk with a "+" history row each, by ``actor`` (else the user of
    the current request, if any), giving ``reason`` as the change reason."""
    with _allowed():
        return utils.bulk_create_with_history(
            list(objs),
            model,
            batch_size=batch_size,
            default_user=actor,
            default_change_reason=reason,
        )


def bulk_update_with_history(
    objs: Iterable[models.Model],
    model: type[models.Model],
    fields: Sequence[str],
    *,
    actor=None,
    batch_size=None,
    reason: str | None = None,
) -> int:
    """Save ``fields`` of ``objs`` in bulk with a "~" history row each, by ``actor``,
    giving ``reason`` as the change reason."""
    with _allowed():
        return utils.bulk_update_with_history(
            list(objs),
            model,
            list(fields),
            batch_size=batch_size,
            default_user=actor,
            default_change_reason=reason,
        )


def update_with_history(
    objs: Iterable[models.Model],
    model: type[models.Model],
    fields: Sequence[str],
    *,
    actor,
    reason: str | None = None,
) -> None:
    """Save ``fields`` of ``objs`` with a "~" history row each, by ``actor`` with
    ``reason``: in bulk, except for a model whose history keeps many-to-many links
    (``m2m_fields``, a typical model's units), which only a save records — a bulk history
    row would read as those links removed."""
    objs = list(objs)
    if not getattr(utils.get_history_model_for_model(model), "_history_m2m_fields", None):
        bulk_update_with_history(objs, model, fields, actor=actor, reason=reason, batch_size=1000)
        return
    for obj in objs:
        obj._history_user = actor
        obj._change_reason = reason
        obj.save(update_fields=list(fields))


# --- links cleared by a deletion --------------------------------------------------------


@cache
def _cleared_links(model: type[models.Model]) -> list[models.Field]:
    """The links of tracked records to ``model`` that deleting one clears unseen: SET_NULL
    foreign keys, and the many-to-many fields whose history is kept (``m2m_fields``)."""
    links: list[models.Field] = [
        rel.field
        for rel in model._meta.related_objects
        if rel.on_delete is models.SET_NULL and is_tracked(rel.related_model)
    ]
    for tracked in apps.get_models():
        if is_tracked(tracked):
            m2m = getattr(utils.get_history_model_for_model(tracked), "_history_m2m_fields", [])
            links += [field for field in m2m if field.related_model is model]
    return links


def _holders(field: models.Field, instance: models.Model) -> models.QuerySet:
    return field.model._base_manager.filter(**{field.name: instance.pk})


def _remember_cleared(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    # pre_delete runs inside the deletion's transaction, before Django clears the links.
    instance._history_cleared = [
        (field, list(_holders(field, instance).values_list("pk", flat=True)))
        for field in _cleared_links(sender)
    ]


def _record_cleared(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    for field, pks in getattr(instance, "_history_cleared", []):
        holders = list(field.model._base_manager.filter(pk__in=pks))
        if not holders:
            continue
        if field.many_to_many:  # told as the removal it is; simple_history records it
            for holder in holders:
                m2m_changed.send(
                    sender=field.remote_field.through,
                    instance=holder,
                    action="post_remove",
                    reverse=False,
                    model=sender,
                    pk_set={instance.pk},
                    using=kwargs.get("using"),
                )
        else:
            history = utils.get_history_manager_for_model(field.model)
            history.bulk_history_create(holders, update=True)


def record_cleared_links() -> None:
    """Connect the receivers that record the links a deletion clears (see the module's
    docstring), for every model that tracked records link to that way."""
    for model in apps.get_models():
        if _cleared_links(model):
            uid = f"history-cleared-{model._meta.label}"
            pre_delete.connect(_remember_cleared, sender=model, dispatch_uid=uid)
            post_delete.connect(_record_cleared, sender=model, dispatch_uid=uid)
