"""The course commands tell when changes wait in the spool (see cli_mount_scenarios.py)."""

from tests.mounts import run_privately


def test_courses_say_what_waits_in_the_spool():
    run_privately("tests/cli/cli_mount_scenarios.py::test_courses_say_what_waits_in_the_spool")
