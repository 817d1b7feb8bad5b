"""Qt but no widgets: the app's behaviour (playback control, the course session, smart
speed, the owners of background jobs), testable without a window."""
