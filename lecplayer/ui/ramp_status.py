"""The status bar's word on speed training: "ramp 2.6x → 3.5x", or paused with its key."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from lecplayer.playback.speed_ramp_driver import SpeedRamp
from lecplayer.ui.actions import ActionRegistry


class RampStatus(QLabel):
    def __init__(self, ramp: SpeedRamp, registry: ActionRegistry,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ramp = ramp
        self.registry = registry
        ramp.changed.connect(self.refresh)
        ramp.controller.state_changed.connect(lambda _state: self.refresh())
        registry.keys_applied.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self.ramp.status()
        if self.ramp.paused and text:
            key = self.registry.key_text("speed_ramp_resume")
            text += f" ({key} resumes)" if key else ""
        self.setText(text)
        self.setVisible(bool(text))
