"""The player: a backend protocol, its state, and the one libmpv implementation."""
