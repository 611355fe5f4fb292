"""The composition behind the window: what Generate would send, why it cannot yet, sending it,
and the draft it is saved as. The widgets are the window's; this holds the rules between them.

The draft's cast members are the tray's groups: each is sent as a subject (``subjects``,
``engine.subject_of`` of the library's member; a group not in the library sends the pictures
the tray has), the loose pictures as ``images``. A draft keeps its cast as member ids
(``Draft.cast``) and its loose pictures by hash. The prompt editor hears the cast's names
(``set_cast``) whenever they change.

The engine may open after the window's first paint (:mod:`vidu_desktop.ui.shell.startup`):
a draft applied before it has its prompt and parameters at once, and its pictures and cast
when the engine opens (added to whatever the tray holds by then); a draft saved meanwhile
keeps the pictures and cast it had."""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Signal

from vidu_desktop.core.capabilities import Mode, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.ids import new_id
from vidu_desktop.core.mentions import MENTION
from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject
from vidu_desktop.core.validation import validate
from vidu_desktop.store import Draft, StoreError
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.common.parameter_choices import Choices, default_choices
from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.compose.cast.controller import group_of
from vidu_desktop.ui.compose.draft_refs import (
    entries_from_draft,
    keep_pictures,
    references_for_draft,
)
from vidu_desktop.ui.compose.generate_bar import choices_cost
from vidu_desktop.ui.compose.parameter_panel import ParameterPanel
from vidu_desktop.ui.compose.prompt_editor import PromptEditor
from vidu_desktop.ui.compose.prompt_library import PromptLibrary
from vidu_desktop.ui.compose.tray.tray import ItemState, ReferenceTray, TrayGroup

if TYPE_CHECKING:
    from vidu_desktop.store import TaskRecord

log = logging.getLogger(__name__)


class GenerateState(NamedTuple):  # (a named tuple: cheaper to make before the first paint)
    takes: int
    cost: str  # for the button
    detail: str  # beside it
    reason: str  # why Generate is disabled ("" when it is not)


class Composer(QObject):
    """``submitted`` carries the task rows of one Generate; ``failed`` a message."""

    submitted = Signal(list)
    failed = Signal(str)
    state_changed = Signal()

    def __init__(self, session: Session, tray: ReferenceTray, editor: PromptEditor,
                 panel: ParameterPanel, library: PromptLibrary,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tray = tray
        self.editor = editor
        self.panel = panel
        self.library = library
        self.bg = Background()
        self.sending = False
        self.draft_id: str | None = None
        #: the draft whose pictures and cast wait for the engine (apply before it opened)
        self._pictures_due: Draft | None = None
        tray.changed.connect(self.tell_editor)
        session.engine_changed.connect(self._engine_opened)
        panel.changed.connect(self._on_model)
        editor.set_request_source(self.request_for)  # the editor counts the prompt as sent
        self._on_model()

    # -- what would be sent ------------------------------------------------------------------
    def references(self) -> tuple[ReferenceImage, ...]:
        """The loose pictures (the cast members' go as ``subjects``)."""
        return tuple(self.tray.loose_references())

    def subjects(self) -> tuple[Subject, ...]:
        """The draft's cast members, in the tray's order."""
        groups = self.tray.cast.groups()
        if not groups:
            return ()
        engine = self.session.engine
        found: list[Subject] = []
        for group in groups:
            member = engine.cast_member(group.member_id) if group.member_id else None
            if member is not None:
                found.append(engine.subject_of(member))
            else:  # not (any more) in the library: the pictures the tray has
                found.append(Subject(group.name, tuple(
                    i.reference() for i in self.tray.cast.pictures(group.key)
                    if i.state is ItemState.READY), group.voice_id))
        return tuple(found)

    def requests(self) -> list[GenerationRequest]:
        subjects = self.subjects()
        return [replace(r, subjects=subjects) for r in
                self.panel.choices().requests(self.editor.text(), self.references())]

    def request_for(self, prompt: str) -> GenerationRequest | None:
        """The request Generate would send with ``prompt`` (for the editor's counter)."""
        refs = self.references()
        subjects = self.subjects()
        if not refs and not subjects:
            refs = (ReferenceImage("data:,"),)
        try:
            return replace(self.panel.choices().requests(prompt, refs)[0], subjects=subjects)
        except (KeyError, ValueError):
            return None

    def tell_editor(self) -> None:
        """The editor completes and checks @mentions of the draft's cast."""
        names = [g.name for g in self.tray.cast.groups()]
        self.editor.set_cast(names, len(self.tray.loose_items()))

    def _on_model(self) -> None:
        """A model with subjects numbers the loose pictures @image1, @image2, …"""
        self.tray.cast.set_loose_numbers(self.panel.choices().spec.subjects is not None)

    def rename_mentions(self, old: str, new: str) -> None:
        """A cast member of the draft was renamed: its @mentions in the prompt follow (as
        the library does in the drafts that are not open)."""
        key = old.casefold()
        text = self.editor.text()

        def swap(m: re.Match[str]) -> str:
            return "@" + new if m.group(1).casefold() == key else m.group(0)

        renamed = MENTION.sub(swap, text)
        if renamed != text:
            self.editor.set_text(renamed)

    def reasons(self) -> list[str]:
        """Everything that keeps Generate disabled, most pressing first."""
        choices = self.panel.choices()
        host = provider(choices.provider)
        reasons: list[str] = []
        if not self.session.has_key(choices.provider):
            reasons.append(f"No API key for {host.display_name}: add one with Keys…"
                           + (", or use the sandbox." if self.session.can_sandbox else "."))
        tray_problem = self.tray.problem()
        if self._due_pictures():  # the draft's pictures come with the library: not yet counted
            tray_problem = "Opening the library…"
        if tray_problem:
            reasons.append(str(tray_problem))
        refs = self.references()
        subjects = self.subjects()
        # with no picture yet, check everything else against a stand-in; the count is the
        # tray's to explain
        request = replace(choices.requests(
            self.editor.text(), refs or (() if subjects else (ReferenceImage("data:,"),)))[0],
            subjects=subjects)
        for problem in validate(request):
            if problem.field != "images" or not tray_problem:
                reasons.append(problem.message)
        if not refs and not subjects and not tray_problem:
            rules = choices.spec.images
            reasons.append(f"Add a reference picture ({host.display_name} {choices.model} "
                           f"takes {rules.min_count} to {rules.max_count}).")
        if self.sending:
            reasons.append("Sending…")
        return reasons

    def generate_state(self) -> GenerateState:
        choices = self.panel.choices()
        cost, detail = choices_cost(choices, self.session.sandbox)
        reasons = self.reasons()
        return GenerateState(choices.variations, cost, detail, " · ".join(reasons))

    # -- sending -----------------------------------------------------------------------------
    def generate(self) -> bool:
        """Send the composition (in the background); False when something blocks it."""
        if self.reasons():
            return False
        requests = self.requests()
        self.library.remember(self.editor.text())
        self.sending = True
        self.state_changed.emit()
        self.bg.spawn(self._send(requests), "generate")
        return True

    async def _send(self, requests: list[GenerationRequest]) -> list[TaskRecord]:
        engine = self.session.engine
        group = new_id() if len(requests) > 1 else None
        sent: list[TaskRecord] = []
        try:
            for i, request in enumerate(requests):
                sent.append(await engine.submit(
                    request, draft_id=self.draft_id, group_id=group,
                    take_index=i if group else None))
        except AppError as err:
            log.warning("generate refused: %s", err.message)
            self.failed.emit(err.message + (f" {err.hint}" if err.hint else ""))
        except Exception as exc:  # a bug: say so rather than swallow the click
            log.exception("generate failed")
            self.failed.emit(f"The app could not send this job: {exc}")
        finally:
            self.sending = False
            self.state_changed.emit()
        if sent:
            self.submitted.emit(sent)
        return sent

    # -- drafts ------------------------------------------------------------------------------
    def collect(self) -> Draft:
        choices = self.panel.choices()
        # the draft's pictures and cast wait for the engine: the draft keeps them, with any
        # picture added to the tray meanwhile (whose keeping needs the engine)
        due = self._pictures_due
        references, cast = (due.references, due.cast) if due is not None else ((), ())
        if due is None or self.tray.items():
            self.session.open_engine()  # (the draft's pictures go to the tray then)
            engine = self.session.engine
            refs = references_for_draft(engine, self.tray)
            # a group not in the cast library keeps its pictures in the draft, as loose ones
            unkept = [i for g in self.tray.cast.groups() if not g.in_cast
                      for i in self.tray.cast.pictures(g.key)]
            kept = keep_pictures(engine, unkept) + refs
            held = {r.sha256 for r in references}
            references += tuple(r for r in kept if r.sha256 not in held)
            cast += tuple(g.member_id for g in self.tray.cast.groups()
                          if g.in_cast and g.member_id not in cast)
        return Draft(id="", provider=choices.provider.value, model=choices.model,
                     mode=Mode.REFERENCE2VIDEO.value, prompt=self.editor.text(),
                     parameters=choices.to_parameters(), references=references, cast=cast)

    def reuse(self, rec: TaskRecord) -> list[str]:
        """Put the task's references, prompt and parameters (with the seed it used) into the
        composer ("Reuse settings" in the task list). Returns notes about what could not be
        restored."""
        req = rec.request
        seed = rec.resolved_seed or rec.seed
        params: dict[str, Any] = {
            "duration": req.duration, "resolution": req.resolution,
            "aspect_ratio": req.aspect_ratio, "movement_amplitude": req.movement_amplitude,
            "bgm": req.bgm, "audio": req.audio, "payload": req.payload, "off_peak": req.off_peak,
            "watermark": req.watermark, "variations": 1,
            "random_seed": not seed, "seed": seed or 1,
        }
        params = {k: v for k, v in params.items() if v is not None}
        notes = self.panel.set_choices(Choices.from_draft(rec.provider, rec.model, params))
        self.editor.set_text(rec.prompt)
        entries, urls = self._pictures(req.images, notes)
        groups: list[tuple[TrayGroup, list[tuple[bytes, str, str]]]] = []
        for subject in req.subjects:
            member = self.session.engine.cast_member_named(subject.name)
            if member is not None:  # still in the library: as the cast member it is now
                if member.hashes != tuple(i.sha256 for i in subject.images):
                    notes.append(f"{member.name}'s pictures have changed since this task; "
                                 "its pictures now are used.")
                groups.append((group_of(member), entries_from_draft(self.session.engine,
                                                                     member.pictures)))
            else:  # a group of the pictures that were sent, to keep in the cast again
                pictures, _links = self._pictures(subject.images, notes, subject.name)
                notes.append(f"{subject.name} is no longer in the cast; its pictures are "
                             "back as a group (Keep in the cast… from its menu).")
                groups.append((TrayGroup("", subject.name, "", subject.voice_id), pictures))
        self.tray.restore(entries, groups=groups)
        if urls:
            self.tray.add_urls(urls)
        return notes

    def _pictures(self, images: tuple[ReferenceImage, ...], notes: list[str], owner: str = ""
                  ) -> tuple[list[tuple[bytes, str, str]], list[str]]:
        """A request's pictures as the tray's entries (bytes, name, label), and its links."""
        from vidu_desktop.store.references import REF_URI_PREFIX

        entries: list[tuple[bytes, str, str]] = []
        urls: list[str] = []
        engine = self.session.engine
        for i, image in enumerate(images, 1):
            name = image.label or (f"{owner} {i}" if owner else f"image {i}")
            try:
                if image.uri.startswith(REF_URI_PREFIX):
                    sha = image.uri.removeprefix(REF_URI_PREFIX)
                    entries.append((engine.read_reference(sha), name, image.label))
                elif image.uri.startswith("data:"):
                    entries.append((base64.b64decode(image.uri.partition(",")[2]), name,
                                    image.label))
                else:
                    urls.append(image.uri)
            except (StoreError, ValueError):
                whose = f"{owner}'s picture {i}" if owner else f"Reference {i}"
                notes.append(f"{whose} ({name}) is no longer in the library.")
        return entries, urls

    def apply(self, draft: Draft) -> None:
        self.draft_id = draft.id
        if draft.provider:
            choices = Choices.from_draft(draft.provider, draft.model, draft.parameters)
        else:
            choices = default_choices()
        self.panel.set_choices(choices)
        self.editor.set_text(draft.prompt, undoable=False)
        if self.session.engine_open:
            self._pictures_due = None
            self._restore_pictures(draft, keep=False)
        else:  # the engine opens after the first paint: the pictures and cast then
            self._pictures_due = draft
            self.tray.restore([])
        self.tell_editor()

    def _due_pictures(self) -> bool:
        due = self._pictures_due
        return due is not None and bool(due.references or due.cast)

    def _engine_opened(self) -> None:
        due, self._pictures_due = self._pictures_due, None
        if due is not None:
            self._restore_pictures(due, keep=True)
            self.tell_editor()
            self.state_changed.emit()

    def _restore_pictures(self, draft: Draft, *, keep: bool) -> None:
        """The draft's cast members and loose pictures into the tray: in place of what it
        holds, or (``keep``) after it."""
        engine = self.session.engine
        groups: list[tuple[TrayGroup, list[tuple[bytes, str, str]]]] = []
        missing = 0
        for member_id in draft.cast:
            member = engine.cast_member(member_id)
            if member is None:
                missing += 1
                continue
            groups.append((group_of(member), entries_from_draft(engine, member.pictures)))
        self.tray.restore(entries_from_draft(engine, draft.references), groups=groups,
                          keep=keep)
        if missing:
            self.tray.note(f"{missing} cast member{'s' * (missing != 1)} of this draft "
                           f"{'are' if missing != 1 else 'is'} no longer in the cast library.")
