"""A stage's memo: results by a key over everything they depend on, holding only what was last used.

A stage asks its memo before it computes (`memo.get(key, make)`); the key is a hash
of every input and option that shapes the result, so a hit is exactly the result the
stage would compute again. A run of the pipeline keeps what it asked for, and
`close()` drops everything else: a memo never holds more than the current inputs
need, however many rebuilds it lives through.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable, Generic, Hashable, Iterable, TypeVar

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self) -> None:
        self._kept: dict[K, V] = {}  # what the last closed run used
        self._used: dict[K, V] = {}  # what the current run has used so far
        self.made = 0                # results `get` had to make in the current run

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The result for `key`, computed by `make()` only if no earlier run left it."""
        if key in self._used:
            return self._used[key]
        if key in self._kept:
            value = self._kept[key]
        else:
            value = make()
            self.made += 1
        self._used[key] = value
        return value

    def find(self, key: K) -> V | None:
        """The result for `key` if it is known, keeping it for this run; None otherwise."""
        if key in self._used:
            return self._used[key]
        if key in self._kept:
            value = self._used[key] = self._kept[key]
            return value
        return None

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key` in this run (a result made by the caller, or one it knows is still current)."""
        self._used[key] = value

    def close(self) -> None:
        """End a run: keep what it used and drop the rest. A memo the run never asked is left as it was."""
        if self._used:
            self._kept, self._used = self._used, {}
        self.made = 0

    def __len__(self) -> int:
        return len(self._kept.keys() | self._used.keys())

    def __getstate__(self) -> dict:
        # Persisted between runs only: what a run has used so far is part of what it keeps.
        return {"_kept": {**self._kept, **self._used}, "_used": {}, "made": 0}


def digest(*parts: str | bytes) -> str:
    """A SHA-256 hex digest of `parts`, each length-prefixed so that no two sequences collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


class MemoBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache, kept in a memo. Jinja keys each template by name and checks its
    source, so an edited template is compiled again."""

    def __init__(self, memo: Memo[str, bytes]) -> None:
        self.memo = memo

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.memo.find(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memo.put(bucket.key, bucket.bytecode_to_string())


class FolderMemo:
    """A memo on disk for results too large to persist in one file: one JSON file per key, in `folder`.

    A value is written once, when it is made, atomically; `prune` ends a run that asked for
    every result it needs, and removes the files it did not ask for. Several processes may
    share the folder: a key names the same value in every process.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def find(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            value = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, self.folder / f"{key}.json")

    def keep(self, keys: Iterable[str]) -> None:
        """Count results as asked for in this run without reading them: a later run may need them."""
        self.used.update(keys)

    def forget(self, key: str) -> None:
        """Remove one result no page needs any more."""
        self.used.discard(key)
        if self.folder is not None:
            (self.folder / f"{key}.json").unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove every result this run did not ask for, and start the next run."""
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
        self.used = set()
