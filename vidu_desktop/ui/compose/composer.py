"""The composition behind the window: what Generate would send, why it cannot yet, sending it,
and the draft it is saved as. The widgets are the window's; this holds the rules between them."""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from vidu_desktop.core.capabilities import Mode, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.validation import validate
from vidu_desktop.store import Draft, StoreError, TaskRecord
from vidu_desktop.store.references import REF_URI_PREFIX
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.common.parameter_choices import Choices, default_choices
from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.compose.draft_refs import entries_from_draft, references_for_draft
from vidu_desktop.ui.compose.generate_bar import cost_texts
from vidu_desktop.ui.compose.parameter_panel import ParameterPanel
from vidu_desktop.ui.compose.prompt_editor import PromptEditor
from vidu_desktop.ui.compose.prompt_library import PromptLibrary
from vidu_desktop.ui.compose.tray.tray import ReferenceTray

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GenerateState:
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

    # -- what would be sent ------------------------------------------------------------------
    def references(self) -> tuple[ReferenceImage, ...]:
        return tuple(self.tray.references())

    def requests(self) -> list[GenerationRequest]:
        return self.panel.choices().requests(self.editor.text(), self.references())

    def reasons(self) -> list[str]:
        """Everything that keeps Generate disabled, most pressing first."""
        choices = self.panel.choices()
        host = provider(choices.provider)
        reasons: list[str] = []
        if not self.session.has_key(choices.provider):
            reasons.append(f"No API key for {host.display_name}: add one with Keys…"
                           + (", or use the sandbox." if self.session.can_sandbox else "."))
        tray_problem = self.tray.problem()
        if tray_problem:
            reasons.append(str(tray_problem))
        refs = self.references()
        # with no picture yet, check everything else against a stand-in; the count is the
        # tray's to explain
        request = choices.requests(self.editor.text(), refs or (ReferenceImage("data:,"),))[0]
        for problem in validate(request):
            if problem.field != "images" or not tray_problem:
                reasons.append(problem.message)
        if not refs and not tray_problem:
            rules = choices.spec.images
            reasons.append(f"Add a reference picture ({host.display_name} {choices.model} "
                           f"takes {rules.min_count} to {rules.max_count}).")
        if self.sending:
            reasons.append("Sending…")
        return reasons

    def generate_state(self) -> GenerateState:
        choices = self.panel.choices()
        cost, detail = cost_texts(choices.spec, choices.variations, self.session.sandbox)
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
        group = uuid.uuid4().hex if len(requests) > 1 else None
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
        refs = references_for_draft(self.session.engine, self.tray)
        return Draft(id="", provider=choices.provider.value, model=choices.model,
                     mode=Mode.REFERENCE2VIDEO.value, prompt=self.editor.text(),
                     parameters=choices.to_parameters(), references=refs)

    def reuse(self, rec: TaskRecord) -> list[str]:
        """Put the task's references, prompt and parameters (with the seed it used) into the
        composer ("Reuse settings" in the task list). Returns notes about what could not be
        restored."""
        req = rec.request
        seed = rec.resolved_seed or rec.seed
        params: dict[str, Any] = {
            "duration": req.duration, "resolution": req.resolution,
            "aspect_ratio": req.aspect_ratio, "movement_amplitude": req.movement_amplitude,
            "bgm": req.bgm, "payload": req.payload, "off_peak": req.off_peak,
            "watermark": req.watermark, "variations": 1,
            "random_seed": not seed, "seed": seed or 1,
        }
        params = {k: v for k, v in params.items() if v is not None}
        notes = self.panel.set_choices(Choices.from_draft(rec.provider, rec.model, params))
        self.editor.set_text(rec.prompt)
        entries: list[tuple[bytes, str, str]] = []
        urls: list[str] = []
        engine = self.session.engine
        for i, image in enumerate(req.images, 1):
            name = image.label or f"image {i}"
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
                notes.append(f"Reference {i} ({name}) is no longer in the library.")
        self.tray.restore(entries)
        if urls:
            self.tray.add_urls(urls)
        return notes

    def apply(self, draft: Draft) -> None:
        self.draft_id = draft.id
        if draft.provider:
            choices = Choices.from_draft(draft.provider, draft.model, draft.parameters)
        else:
            choices = default_choices()
        self.panel.set_choices(choices)
        self.editor.set_text(draft.prompt, undoable=False)
        self.tray.restore(
            entries_from_draft(self.session.engine, draft.references))
