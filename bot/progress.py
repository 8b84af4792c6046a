"""The export's progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise."""

from __future__ import annotations

from typing import TextIO

from bot.review_export import Step

BAR_WIDTH = 24


class ProgressReport:
    """Called with each step; a terminal gets one line redrawn, a pipe or a log one line per finished step."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.terminal = stream.isatty()

    def __call__(self, step: Step) -> None:
        what = f"{step.number}/{step.steps} {step.name}" + ("" if step.rows is None else f", rows: {step.rows}")
        if self.terminal:
            filled = BAR_WIDTH * (step.number - (0 if step.done else 1)) // step.steps
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\r[{bar}] {what}\033[K")
            if step.done and step.number == step.steps:
                self.stream.write("\n")
        elif step.done:
            self.stream.write(f"{what}\n")
        self.stream.flush()
