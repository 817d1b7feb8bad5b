"""The strip above the video that says the sync folder is not taking changes, and where they
are kept meanwhile. Non-modal: watching and typing notes go on."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from lecplayer.core.events import SyncStatus
from lecplayer.playback.sync_health import SyncHealth

BACK_SHOWN_MS = 6000  # how long "written again" stays up after a fault clears


class SyncBanner(QFrame):
    def __init__(self, health: SyncHealth, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBanner")
        self.setStyleSheet("#syncBanner { background: #fff3cd; border-bottom: 1px solid #e0c060; }"
                           " #syncBanner QLabel { color: #5c4400; }")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = QPushButton("Show kept changes", self)
        self.folder_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.folder_button.clicked.connect(self._show_spool)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.folder_button)
        self._status: SyncStatus | None = None
        self._hide_later = QTimer(self, singleShot=True, interval=BACK_SHOWN_MS)
        self._hide_later.timeout.connect(self.hide)
        health.changed.connect(self.show_status)
        self.hide()
        if health.status is not None and not health.status.ok:
            self.show_status(health.status)

    def show_status(self, status: SyncStatus | None) -> None:
        was_faulty = self._status is not None and not self._status.ok
        self._status = status
        if status is None or status.ok:
            if was_faulty and status is not None:
                self.text.setText(f"The sync folder {status.sync_dir} takes changes again: "
                                  "everything kept meanwhile is written there.")
                self.folder_button.hide()
                self._hide_later.start()
            else:
                self.hide()
            return
        self._hide_later.stop()
        self.text.setText("⚠ " + status.message())
        self.folder_button.show()
        self.show()

    def _show_spool(self) -> None:
        if self._status is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._status.spool_dir)))
