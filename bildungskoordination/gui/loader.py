"""Two small helpers on top of gui/operation.py: a view's list read on a worker (latest request wins), and
start-up work that waits for the first paint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QWidget

from bildungskoordination.gui.operation import Operation, Outcome, show_error

T = TypeVar("T")


class Loader(Generic[T]):
    """What a view shows, read on a worker, the latest request winning: a list that takes seconds to read on
    a large district (due follow-ups, erasure proposals, open referrals) no longer freezes the window."""

    def __init__(self, parent: QWidget, title: str) -> None:
        self.parent = parent
        self.title = title
        self._generation = 0
        self._op: Operation[T] | None = None

    @property
    def busy(self) -> bool:
        return self._op is not None and not self._op.finished

    def load(self, fetch: Callable[[], T], show: Callable[[T], None]) -> None:
        self._generation += 1
        generation = self._generation
        if self._op is not None:
            self._op.progress.cancel()  # its result would be dropped anyway

        def done(outcome: Outcome[T]) -> None:
            if generation == self._generation:
                show(outcome.value)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                show_error(self.parent, self.title, exc)

        self._op = Operation(self.parent, lambda _progress: fetch(), title=self.title).success(done) \
            .failure(failed).run()
