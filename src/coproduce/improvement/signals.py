"""Signals other apps listen to. ``figures_changed`` is sent after bulk saves of figures
(which skip model signals), with the ids of the ward measures whose figures changed; the
dashboards' reading cache (``reports.snapshots``) forgets those measures' snapshots."""

from django.dispatch import Signal

figures_changed = Signal()  # sender: the service; kwargs: ward_measure_ids
