"""The tray's bookkeeping without widgets: what is in it, under which rules, and why not ready.

``TrayQueue`` owns the list model and the ``Preparer``: it turns files, links and bytes into
items (refusing the same file or link twice at once, and the same picture twice once hashed),
queues each for preparation with a generation number, applies results on the UI thread, and
re-queues everything when the rules change what the pipeline would produce. The ``Preparer``
(and its module, with the imaging pipeline's sources) is made for the first picture queued,
not with the window (start-up).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore  # QUrl: made with the first dropped link
from PySide6.QtCore import QObject, Signal

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.imaging import PrepareOptions, image_budget
from vidu_desktop.imaging.options import FixMode
from vidu_desktop.ui.compose.tray.groups import TrayGroup
from vidu_desktop.ui.compose.tray.item import ItemState, TrayItem
from vidu_desktop.ui.compose.tray.mime import data_url_bytes, expand_folders
from vidu_desktop.ui.compose.tray.model import TrayModel

if TYPE_CHECKING:
    from vidu_desktop.imaging import PrepareCache
    from vidu_desktop.ui.compose.tray.item import SourceRef
    from vidu_desktop.ui.compose.tray.jobs import JobResult, Preparer

    Entry = tuple[str, SourceRef, str, bool]  # name, source, label, restored

#: The most pictures the tray holds, whatever the model (extras are flagged, not prepared away).
HARD_CAP = 30


def count_range(rules: ImageRules, sep: str = "–") -> str:
    """"1–7", or "1" when the model takes exactly one."""
    if rules.min_count == rules.max_count:
        return str(rules.max_count)
    return f"{rules.min_count}{sep}{rules.max_count}"


class TrayQueue(QObject):
    changed = Signal()
    note = Signal(str)  # a user-facing message

    def __init__(self, parent: QObject, rules: ImageRules, *, cache: PrepareCache | None,
                 max_workers: int | None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.aspect: str | None = None
        self.aspect_fit: FixMode | None = None
        self.options = PrepareOptions(rules=rules)
        self.budget = image_budget(rules, rules.max_count)
        self.model = TrayModel(self)
        self.model.set_limit(rules.max_count)
        self._ids = itertools.count(1)
        self._generations: dict[int, int] = {}
        self._cache, self._max_workers = cache, max_workers
        self._preparer: Preparer | None = None
        self.model.reordered.connect(self.changed)
        self.model.labelled.connect(self.changed)

    @property
    def preparer(self) -> Preparer:
        """The thread pool's side, made when first needed (the first picture queued)."""
        if self._preparer is None:
            from vidu_desktop.ui.compose.tray.jobs import Preparer

            self._preparer = Preparer(self, cache=self._cache, max_workers=self._max_workers)
            # both arrive on the UI thread
            self._preparer.finished.connect(self._apply_result)
            self._preparer.progressed.connect(self._apply_progress)
        return self._preparer

    def cancel(self, item_id: int) -> None:
        """Stop preparing ``item_id`` (nothing to stop before the first picture)."""
        if self._preparer is not None:
            self._preparer.cancel(item_id)

    def shutdown(self) -> None:
        """Stop the workers (the tray closes)."""
        if self._preparer is not None:
            self._preparer.shutdown()

    # -- rules ---------------------------------------------------------------------------

    def apply(self, rules: ImageRules, aspect: str | None, fit: FixMode | None) -> None:
        if (rules, aspect, fit) == (self.rules, self.aspect, self.aspect_fit):
            return  # nothing changed: no signal (the window calls this on every choice)
        options = PrepareOptions(rules=rules, aspect=aspect if fit else None,
                                 aspect_mode=fit or "crop")
        options.validate()  # a bad aspect is the caller's bug: say so at once
        budget = image_budget(rules, rules.max_count)
        items = self.model.items()  # none to redo in an empty tray (so no fingerprints)
        redo = bool(items) and (options.key() != self.options.key() or budget != self.budget
                                or options.source_cap != self.options.source_cap)
        self.rules, self.aspect, self.aspect_fit = rules, aspect, fit
        self.options, self.budget = options, budget
        self.model.set_limit(rules.max_count)
        if redo:
            for item in items:
                self.queue(item)
        self.changed.emit()

    # -- adding --------------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path | str]) -> None:
        expanded, notes = expand_folders([Path(p) for p in paths])
        for text in notes:
            self.note.emit(text)
        entries: list[Entry] = []
        for path in expanded:
            twin = self.same_source(path)
            if twin:
                self.note.emit(f"{path.name} is already in the tray (image {twin}).")
            elif not any(isinstance(e[1], Path) and e[1] == path for e in entries):
                entries.append((path.name or str(path), path, "", False))
        self.add(entries)

    def add_urls(self, urls: Iterable[str]) -> None:
        entries: list[Entry] = []
        for url in (u.strip() for u in urls):
            lowered = url.lower()
            if lowered.startswith("file://"):
                self.add_paths([Path(QtCore.QUrl(url).toLocalFile())])
            elif lowered.startswith("data:"):
                data = data_url_bytes(url)
                if data is None:
                    self.note.emit("A dropped data link holds no picture.")
                else:
                    entries.append(("dropped image", data, "", False))
            elif lowered.startswith(("http://", "https://")):
                twin = self.same_source(url)
                if twin:
                    self.note.emit(f"{url} is already in the tray (image {twin}).")
                elif url not in (e[1] for e in entries):
                    entries.append((url, url, "", False))
            else:
                self.note.emit(f"{url} is not an http(s) link, a file or a picture.")
        self.add(entries)

    def add(self, entries: Sequence[Entry], group: TrayGroup | None = None) -> None:
        """New items (placeholders at once), each queued for preparation; with ``group``,
        they are that group's pictures (added whole or not at all; a group in the tray
        already gets them instead of its own)."""
        room = max(0, HARD_CAP - len(self.model.items())
                   + (len(self.model.group_items(group.key)) if group else 0))
        if len(entries) > room:
            if group is not None:
                self.note.emit(f"The tray holds at most {HARD_CAP} pictures; {group.name}'s "
                               f"{len(entries)} do not fit. Remove some pictures first.")
                return
            self.note.emit(f"The tray holds at most {HARD_CAP} pictures; "
                           f"{len(entries) - room} not added.")
            entries = entries[:room]
        if not entries and group is None:
            return
        items = [TrayItem(next(self._ids), name, source, label=label, restored=restored)
                 for name, source, label, restored in entries]
        if group is None:
            self.model.append(items)
        elif self.model.group(group.key) is not None:  # its new pictures, in its place
            for old in self.model.group_items(group.key):
                self.cancel(old.id)
                self._generations.pop(old.id, None)
            self.model.replace_group_items(group.key, items)
        else:
            self.model.add_group(group, items)
        for item in items:
            self.queue(item)
        self.changed.emit()

    # -- preparing -----------------------------------------------------------------------

    def queue(self, item: TrayItem) -> None:
        generation = self._generations.get(item.id, 0) + 1
        self._generations[item.id] = generation
        item.state, item.progress = ItemState.PREPARING, 0.0
        options = (replace(self.options, fix_ratio=item.fix_ratio) if item.fix_ratio
                   else self.options)
        source = item.fetched if item.fetched is not None else item.source
        from vidu_desktop.ui.compose.tray.jobs import Job

        self.preparer.submit(Job(item.id, generation, item.name, source, options,
                                 self.budget, adopt=item.restored))
        self.model.touch(item.id)

    def requeue(self, index: int, *, fix_ratio: FixMode | None = None,
                fetch: bool = False) -> None:
        """Prepare image ``index`` again (with a ratio fix; downloading a link again)."""
        items = self.model.items()
        if not 0 <= index < len(items):
            return
        item = items[index]
        if fix_ratio is not None:
            item.fix_ratio = fix_ratio
        if fetch:
            item.fetched = None
        self.queue(item)
        self.changed.emit()

    def _apply_progress(self, item_id: int, generation: int, fraction: float) -> None:
        item = self.model.find(item_id)
        if item is not None and self._generations.get(item_id) == generation \
                and item.state is ItemState.PREPARING:
            item.progress = fraction
            self.model.touch(item_id)

    def _apply_result(self, result: JobResult) -> None:
        item = self.model.find(result.item_id)
        if item is None or self._generations.get(item.id) != result.generation:
            return  # removed, or queued again since
        if result.source_bytes is not None:
            item.fetched = result.source_bytes
        outcome = result.outcome
        from vidu_desktop.imaging.result import PreparedImage  # (loaded by the job)

        if isinstance(outcome, PreparedImage):
            item.state, item.prepared, item.progress = ItemState.READY, outcome, 1.0
            item.error, item.error_kind, item.offer = "", "", None
            item.thumbnail = result.thumbnail
            twin = self.same_content(item)
            if twin is not None:
                keep, drop = (twin, item) if twin.id < item.id else (item, twin)
                self.remove_ids([drop.id], notify=False)
                self.note.emit(f"{drop.name} is the same picture as image "
                               f"{self.model.number(keep)} ({keep.name}); not added twice.")
        else:
            item.state, item.prepared, item.progress = ItemState.ERROR, None, 1.0
            item.error, item.error_kind = outcome.message, outcome.kind.value
            item.offer = outcome.offer
            self.note.emit(outcome.message)
        self.model.touch(item.id)
        self.changed.emit()

    # -- duplicates, removal ---------------------------------------------------------------

    def same_source(self, source: Path | str) -> int:
        """The number of the loose picture added from this same file or link, else 0."""
        for item in self.model.loose():
            if isinstance(source, Path) and isinstance(item.source, Path):
                if _same_path(source, item.source):
                    return self.model.number(item)
            elif item.source == source:
                return self.model.number(item)
        return 0

    def same_content(self, item: TrayItem) -> TrayItem | None:
        """Another picture with the same content in the same place (the loose pictures, or
        one group): a cast member's picture may also be among the loose ones."""
        for other in self.model.items():
            if other is not item and other.group == item.group and \
                    other.prepared is not None and (
                    other.source_sha256 == item.source_sha256 or other.sha256 == item.sha256):
                return other
        return None

    def remove_ids(self, ids: Iterable[int], notify: bool = True) -> None:
        ids = list(ids)
        for item_id in ids:
            self.cancel(item_id)
            self._generations.pop(item_id, None)
        self.model.remove_ids(ids)
        if notify:
            self.changed.emit()

    def clear(self) -> None:
        self.remove_ids([item.id for item in self.model.items()])

    # -- reading -------------------------------------------------------------------------

    def ready(self) -> list[TrayItem]:
        return [i for i in self.model.items() if i.state is ItemState.READY]

    def references(self) -> list[ReferenceImage]:
        return [i.reference() for i in self.ready()]

    def loose_references(self) -> list[ReferenceImage]:
        return [i.reference() for i in self.ready() if not i.group]

    def pending(self) -> int:
        return sum(1 for i in self.model.items() if i.state is ItemState.PREPARING)

    def problem(self) -> str | None:
        items, rules = self.model.items(), self.rules
        n = len(items)
        if n < rules.min_count:
            if n == 0:
                return ("Add a reference image" if rules.min_count == 1
                        else f"Add at least {rules.min_count} reference images")
            return f"{n} image{'s' * (n != 1)}; this model needs at least {rules.min_count}"
        if n > rules.max_count:
            return (f"{n} images; this model takes {count_range(rules, ' to ')}. "
                    f"Remove {n - rules.max_count}.")
        for item in items:
            if item.state is ItemState.ERROR:
                return f"{self.called(item)} cannot be used: {item.error}"
        for item in items:
            if item.state is ItemState.PREPARING:
                return f"{self.called(item)} is still being prepared"
        return None

    def called(self, item: TrayItem) -> str:
        """"Image 3", or "mia's picture 2" for a cast member's."""
        group = self.model.group(item.group) if item.group else None
        if group is None:
            return f"Image {self.model.number(item)}"
        pictures = self.model.group_items(item.group)
        return f"{group.name}'s picture {pictures.index(item) + 1}"


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
