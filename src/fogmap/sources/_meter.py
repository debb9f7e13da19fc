"""How far a run is through its inputs: the readers move it, a progress bar reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class ReadMeter:
    """How far through its inputs a run is, in bytes on disk, for a progress bar's share
    done and time left. `total` is 0 where it cannot be known (standard input)."""

    total: int = 0
    done: int = 0  # bytes of the files finished
    into: int = 0  # bytes into the file being read

    @property
    def read(self) -> int:
        return self.done + self.into
