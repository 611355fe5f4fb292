"""The main window: on the left two tabs, Compose (the reference tray, the prompt editor below
it) and Review (the player, or two takes compared); on the right the parameter panel with the
Tasks list under it; the Generate bar with the cost along the bottom; the status bar with the
running tasks, today's spend and the hosts' balances. A finished or failed task is notified.

Geometry and splitter sizes are remembered in the profile's settings (:mod:`.window_state`).
Keyboard:
Ctrl+Enter generates, Ctrl+V pastes pictures into the tray (text into the prompt), Delete
removes the selected reference (in the tray), Ctrl+N a new draft, Ctrl+, the keys and hosts,
Ctrl+L the prompt, Ctrl+1 / Ctrl+2 / Ctrl+3 the Compose / Review / Board tab.

**Paint first, attach after.** The constructor builds what the first paint shows and the
compose area needs (the tray, the prompt editor, the parameters, the Generate bar, the menus,
the status bar) with places of the final size for the task list and the Review tab;
:meth:`MainWindow.attach` (:mod:`.tasks_and_review`, with the wiring of the task list and
Review; :mod:`.board_side` the Board tab's) puts the task list (its model reads the first page
of the library), the Review and Board tabs, the outbox banner and the notifications in, without
moving a control. The app attaches just after
the first paint (:mod:`.startup`); ``attach=True`` does it at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore  # QUrl: made when a folder is opened
from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.ui.common import focus_ring
from vidu_desktop.ui.common.accessibility import name, tab_order
from vidu_desktop.ui.common.session import SANDBOX_LABEL, Session
from vidu_desktop.ui.compose.cast.area import CastArea
from vidu_desktop.ui.compose.composer import Composer
from vidu_desktop.ui.compose.drafts import DraftController, DraftSwitcher
from vidu_desktop.ui.compose.generate_bar import GenerateBar
from vidu_desktop.ui.compose.parameter_panel import ParameterPanel
from vidu_desktop.ui.compose.prompt_editor import PromptEditor
from vidu_desktop.ui.compose.prompt_library import PromptLibrary
from vidu_desktop.ui.compose.tray.tray import ReferenceTray
from vidu_desktop.ui.shell import window_state
from vidu_desktop.ui.shell.banners import ModeBanner
from vidu_desktop.ui.shell.board_side import BOARD_TOOLTIP, BoardSide
from vidu_desktop.ui.shell.main_menu import MenuSlots, install_actions
from vidu_desktop.ui.shell.status import StatusSummary
from vidu_desktop.ui.shell.tasks_and_review import REVIEW_TOOLTIP, TasksAndReview

if TYPE_CHECKING:
    from vidu_desktop.ui.shell.about import AboutDialog
    from vidu_desktop.ui.shell.host_settings import HostSettingsDialog

APP_TITLE = "Vidu Studio"
REVIEW_TAB = 1
TASKS_MARGINS = (6, 0, 12, 8)  # around the task list (and its place before attach)


class MainWindow(BoardSide, TasksAndReview, QMainWindow):
    closed = Signal()  # the window closed: the app shuts down
    # the menus' actions (main_menu.install_actions)
    generate_action: QAction
    paste_action: QAction
    keys_action: QAction
    quit_action: QAction
    log_folder_action: QAction
    about_action: QAction
    attach_finished = Signal()  # attach() is done: the task list and Review are in

    def __init__(self, session: Session, *, attach: bool = True) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("main-window")
        self.attached = False
        settings = session.settings
        self.library = PromptLibrary(settings)

        self.mode_banner = ModeBanner(session, self)
        self.tray = ReferenceTray(self)
        self.tray.setObjectName("reference-tray")
        self.editor = PromptEditor(self.library, self)
        self.panel = ParameterPanel(session, self)
        self.generate_bar = GenerateBar(self)
        self.composer = Composer(session, self.tray, self.editor, self.panel, self.library,
                                 self)
        self.cast_area = CastArea(session, self.tray, self.composer, self)  # tray + cast
        self.drafts = DraftController(session.drafts, self.composer.collect,
                                      self.composer.apply, self)
        self.draft_switcher = DraftSwitcher(self.drafts, self)
        self._dialogs: list[QWidget] = []

        # -- layout ------------------------------------------------------------------------
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 8, 6, 8)
        left_layout.addWidget(self.draft_switcher)
        self.v_split = QSplitter(Qt.Orientation.Vertical, left)
        self.v_split.setObjectName("compose-split")
        self.v_split.addWidget(self.cast_area)
        self.v_split.addWidget(self.editor)
        self.v_split.setStretchFactor(0, 3)
        self.v_split.setStretchFactor(1, 2)
        self.v_split.setChildrenCollapsible(False)
        left_layout.addWidget(self.v_split, 1)
        self.review_place = QWidget(self)  # the Review tab until attach()
        self.review_place.setObjectName("review-place")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("left-tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(left, "Compose")
        self.tabs.addTab(self.review_place, "Review")
        self.board_place = QWidget(self)  # the Board tab until it is first shown
        self.board_place.setObjectName("board-place")
        self.tabs.addTab(self.board_place, "Board")
        self.tabs.setTabToolTip(0, "References, prompt and parameters (Ctrl+1)")
        self.tabs.setTabToolTip(1, REVIEW_TOOLTIP)
        self.tabs.setTabToolTip(2, BOARD_TOOLTIP)
        scroll = QScrollArea(self)
        scroll.setObjectName("parameter-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget(scroll)
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(6, 8, 12, 8)
        holder_layout.addWidget(self.panel)
        scroll.setWidget(holder)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(holder.minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width())
        self.parameter_scroll = scroll
        self.tasks_place = QWidget(self)  # the task list until attach()
        self.tasks_place.setObjectName("tasks-place")
        self.tasks_place.setContentsMargins(*TASKS_MARGINS)
        self.side_split = QSplitter(Qt.Orientation.Vertical, self)
        self.side_split.setObjectName("side-split")
        self.side_split.addWidget(scroll)
        self.side_split.addWidget(self.tasks_place)
        self.side_split.setStretchFactor(0, 1)
        self.side_split.setStretchFactor(1, 1)
        self.side_split.setChildrenCollapsible(False)
        self.h_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.h_split.setObjectName("main-split")
        self.h_split.addWidget(self.tabs)
        self.h_split.addWidget(self.side_split)
        self.h_split.setStretchFactor(0, 1)
        self.h_split.setStretchFactor(1, 0)
        self.h_split.setChildrenCollapsible(False)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        banners = QWidget(central)
        banner_layout = QVBoxLayout(banners)
        banner_layout.setContentsMargins(12, 8, 12, 0)
        banner_layout.setSpacing(6)
        self.mode_banner.setParent(banners)
        banner_layout.addWidget(self.mode_banner)
        self.banner_layout = banner_layout  # the outbox banner goes under it (attach)
        layout.addWidget(banners)
        layout.addWidget(self.h_split, 1)
        layout.addWidget(self.generate_bar)
        self.setCentralWidget(central)

        self.summary = StatusSummary(session.bridge, lambda: self.session.sandbox, self,
                                     ready=lambda: self.session.engine_ready)
        session.engine_started.connect(self.summary.accounts.ask)
        self.statusBar().addPermanentWidget(self.summary)

        self._actions()
        self._connect()
        self._accessible()
        self.drafts.open_last()
        self._on_parameters()
        if attach:  # before the splitters get their sizes, as if it had always been there
            self.attach()
        self.restore_window_state()
        self._update_title()

    # -- wiring ----------------------------------------------------------------------------
    def _actions(self) -> None:
        made = install_actions(self, MenuSlots(
            generate=self.generate, paste=self.paste, new_draft=self.drafts.new,
            host_settings=lambda: self.open_host_settings(self.panel.choices().provider),
            focus_prompt=self.editor.focus_text, add_pictures=self.tray.open_add_dialog,
            quit=self.close, show_compose=lambda: self.tabs.setCurrentIndex(0),
            show_review=lambda: self.tabs.setCurrentIndex(REVIEW_TAB),
            show_board=self.show_board,
            open_log_folder=self.open_log_folder, about=self.open_about))
        self.generate_action, self.paste_action, self.keys_action = (
            made.generate, made.paste, made.keys)
        self.quit_action, self.log_folder_action, self.about_action = (
            made.quit, made.log_folder, made.about)

    def _accessible(self) -> None:
        """Names for screen readers, and Tab in the order of the work (accessibility.py). The
        labels name the fields they label in the attach, once the whole window is there
        (``name_from_labels``: a turn of the loop after the first paint)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            focus_ring.install(app)
        name(self.tabs, "Compose and Review")
        name(self.tabs.tabBar(), "Tabs", "Ctrl+1 Compose, Ctrl+2 Review, Ctrl+3 Board")
        self.parameter_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take focus
        self._tab_order()

    def _tab_order(self) -> None:
        """Draft, pictures, prompt, parameters, Generate, then the tasks."""
        tasks = self.task_list.view.focus_order() if self.attached else []
        tab_order(self.draft_switcher.focus_order() + self.cast_area.focus_order()
                  + self.editor.focus_order() + self.panel.focus_order()
                  + [self.generate_bar.button] + tasks)

    def _connect(self) -> None:
        self.tray.changed.connect(self._on_composition)
        self.tray.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.editor.changed.connect(self._on_composition)
        self.editor.media_pasted.connect(self._paste_mime)
        self.editor.references = self._reference_labels
        self.panel.changed.connect(self._on_parameters)
        self.panel.advanced_toggle.toggled.connect(lambda _on: self.fit_parameters())
        self.panel.notes_changed.connect(self.fit_parameters)
        self.panel.host_settings_requested.connect(self.open_host_settings)
        self.generate_bar.generate.connect(self.generate)
        self.composer.state_changed.connect(self.update_generate)
        self.composer.failed.connect(self._on_failed)
        self.composer.submitted.connect(self._on_submitted)
        self.mode_banner.keys_requested.connect(
            lambda: self.open_host_settings(self.panel.choices().provider))
        self.session.changed.connect(self._on_session)
        self.session.engine_changed.connect(self._on_engine)

    def _reference_labels(self) -> list[tuple[int, str]]:
        refs = self.tray.references()
        return [(i, r.label) for i, r in enumerate(refs, 1)]

    def _on_composition(self) -> None:
        self.update_generate()
        self.drafts.schedule()

    def _on_parameters(self) -> None:
        choices = self.panel.choices()
        spec = choices.spec
        self.tray.set_rules(spec.images, choices.aspect_ratio if spec.aspect_ratios else None)
        self.editor.set_limit(spec.prompt_limit,
                              f"{provider(choices.provider).display_name} {choices.model}")
        self._on_composition()

    def fit_parameters(self) -> None:
        """Give the parameters the room they need (advanced options, notes) when the Tasks
        list below them can spare it, so they are seen without scrolling."""
        holder = self.parameter_scroll.widget()
        if holder is None:
            return
        holder.adjustSize()
        needed = holder.sizeHint().height()
        top, bottom = self.side_split.sizes()
        if top < needed:
            grow = min(needed - top, max(0, bottom - 140))
            if grow:
                self.side_split.setSizes([top + grow, bottom - grow])

    def _on_session(self) -> None:
        self._update_title()
        self.update_generate()

    def _update_title(self) -> None:
        title = APP_TITLE + (f" — {SANDBOX_LABEL}" if self.session.sandbox else "")
        self.setWindowTitle(title)

    def update_generate(self) -> None:
        state = self.composer.generate_state()
        self.generate_bar.show_state(takes=state.takes, cost=state.cost, detail=state.detail,
                                     reason=state.reason)

    # -- actions ---------------------------------------------------------------------------
    def generate(self) -> bool:
        if not self.composer.generate():
            self.update_generate()
            self.statusBar().showMessage(self.composer.generate_state().reason, 6000)
            return False
        self.update_generate()
        return True

    def say(self, text: str, ms: int = 10_000) -> None:
        """A status bar message, elided to the room the summary on its right leaves."""
        bar = self.statusBar()
        room = bar.width() - self.summary.sizeHint().width() - 48
        bar.showMessage(bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                     max(120, room)), ms)
        bar.setToolTip(text)

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None:
            self._paste_mime(mime)

    def _paste_mime(self, mime: QMimeData) -> None:
        """Pictures, files and links go to the tray; plain text into the prompt."""
        if self.tray.add_mime(mime, "pasted image"):
            return
        if mime.hasText():
            self.editor.insert(mime.text())
        else:
            self.statusBar().showMessage("The clipboard holds no picture, file or link to add.",
                                         6000)

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self.generate_bar.reason.setText(message)
        self.generate_bar.reason.show()

    def _on_submitted(self, records: list[Any]) -> None:
        n = len(records)
        self.statusBar().showMessage(
            "Sending 1 job…" if n == 1 else f"Sending {n} takes…", 6000)

    def open_host_settings(self, pid: ProviderId) -> HostSettingsDialog:
        from vidu_desktop.ui.shell.host_settings import HostSettingsDialog  # when first opened

        dialog = HostSettingsDialog(self.session, ProviderId(pid), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _pid: self.panel.refresh_key_status())
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        dialog.open()
        return dialog

    def open_about(self) -> AboutDialog:
        from vidu_desktop.ui.shell.about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        dialog.open()
        return dialog

    def open_log_folder(self) -> bool:
        folder = self.session.paths.logs_dir if self.session.paths else None
        if folder is None:
            return False
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(folder))):
            self.statusBar().showMessage(f"Could not open {folder}", 10_000)
            return False
        return True

    def receive_files(self, files: list[str]) -> None:
        """Pictures from the command line (or a later launch): to the tray; the window to
        the front."""
        if files:
            self.tray.add_paths(files)
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    @property
    def splitters(self) -> tuple[QSplitter, ...]:
        return (self.h_split, self.v_split, self.side_split)

    # -- window state ----------------------------------------------------------------------
    def restore_window_state(self) -> None:
        window_state.restore(self, self.session.settings, self.h_split, self.v_split,
                             self.side_split)

    def commit_data(self) -> None:
        """The session ends (log-off, shut-down): save the draft and the window now; the
        system may end the process before the window is closed."""
        self.drafts.save_now()
        self.save_window_state()

    def save_window_state(self) -> None:
        window_state.save(self, self.session.settings, self.splitters)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.drafts.stop()
        self.save_window_state()
        self.summary.close_feed()
        self.close_board()
        self.close_tasks_and_review()
        for task in self.composer.bg.pending:
            task.cancel()
        self.tray.shutdown()
        event.accept()
        self.closed.emit()
