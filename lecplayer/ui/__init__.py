"""Qt widgets. They reach the player only through PlayerBackend and queued signals."""
