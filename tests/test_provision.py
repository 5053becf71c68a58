"""`make test` provisions the machine through .ci/provision; where it cannot install, it stops
at once and says exactly what to run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "provision"


def test_a_machine_without_redis_is_told_the_command_in_seconds(tmp_path: Path) -> None:
    # A PATH with the shell's basic tools and no redis-server.
    for tool in ("bash", "id", "ls", "sort", "tail", "seq", "sleep", "env", "cat"):
        found = subprocess.run(["which", tool], capture_output=True, text=True, check=True)
        (tmp_path / tool).symlink_to(found.stdout.strip())
    env = {"PATH": str(tmp_path), "PROVISION_INSTALL": "never", "HOME": os.environ["HOME"]}
    done = subprocess.run(
        [str(tmp_path / "bash"), str(SCRIPT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
    )
    assert done.returncode == 1
    assert "redis-server" in done.stderr
    assert "sudo apt-get install -y" in done.stderr


def test_a_provisioned_machine_passes_quietly() -> None:
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
