"""A full, read-only or unplugged sync folder under the real window loses nothing and says
so (real mounts, each in its own namespace: see sync_fault_scenarios.py)."""

import pytest

from tests.mounts import run_privately


@pytest.mark.parametrize("kind", ["full", "read_only", "vanished"])
def test_sync_folder_fault(kind):
    run_privately(f"tests/ui/sync_fault_scenarios.py::test_fault[{kind}]")
