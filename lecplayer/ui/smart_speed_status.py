"""Smart speed in the window: the T toggle with its OSD, and the status-bar figure of the time
it saved in this lecture (or why it is not saving any)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel

from lecplayer.core.timefmt import clock
from lecplayer.playback.controller import PlaybackController
from lecplayer.playback.silence_maps import SilenceMaps
from lecplayer.playback.smart_speed_driver import SmartSpeedDriver

ON_TEXT = {"speed": "Smart speed: on", "skip": "Smart speed: on (skipping pauses)"}


class SmartSpeedStatus(QLabel):
    notice = Signal(str)  # something to say in the status bar for a while

    def __init__(self, driver: SmartSpeedDriver, maps: SilenceMaps,
                 controller: PlaybackController, parent=None) -> None:
        super().__init__(parent)
        self.driver = driver
        self.controller = controller
        self.settings = controller.settings
        mode = self.settings["smart_speed"]
        self._last_on = mode if mode != "off" else "speed"
        self._failed: dict[str, str] = {}  # path -> why it has no map
        driver.saved_changed.connect(lambda _s: self.refresh())
        driver.active_changed.connect(lambda _a: self.refresh())
        maps.failed.connect(self._on_failed)
        controller.file_loaded.connect(lambda _p: self.refresh())
        self.settings.subscribe(self._on_setting)
        self.refresh()

    def _on_setting(self, name: str, value: object) -> None:
        if name == "smart_speed":
            if value != "off":
                self._last_on = str(value)  # T brings back the mode last chosen anywhere
            self.refresh()

    def toggle(self) -> None:
        """T: off, or back to the mode last used (speed unless skip was chosen)."""
        mode = self.settings["smart_speed"]
        if mode == "off":
            self.settings.set("smart_speed", self._last_on)
        else:
            self._last_on = mode
            self.settings.set("smart_speed", "off")
        self.controller.show_osd(ON_TEXT.get(self.settings["smart_speed"], "Smart speed: off"))

    def _on_failed(self, path: str, why: str) -> None:
        self._failed[path] = why
        if path == self.controller.state.path:
            self.notice.emit(f"Smart speed is not shortening pauses here: {why}")
        self.refresh()

    def refresh(self) -> None:
        path = self.controller.state.path
        self.setToolTip("Time smart speed saved in this lecture by playing its pauses fast "
                        "(T turns it on and off)")
        if self.settings["smart_speed"] == "off" or not path:
            self.hide()
            return
        if self.driver.active:
            self.setText(f"Smart speed saved {clock(max(0.0, self.driver.saved))}")
        elif path in self._failed:
            self.setText("Smart speed: no pauses found")
            self.setToolTip(self._failed[path])
        else:
            self.setText("Smart speed: finding pauses…")
        self.show()
