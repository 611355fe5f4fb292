"""Where a picture comes from: a file, an http(s) URL (downloaded with a size cap), or bytes.

Loading reads and hashes the source (the hash keys the cache) and refuses what is empty, too
large, unreadable or not downloadable, each with a message naming the source.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import unquote, urlsplit

from vidu_desktop.core.formatting import format_bytes
from vidu_desktop.core.records import record

from .errors import ImageProblem, ProblemKind

if TYPE_CHECKING:  # httpx is imported when a link is downloaded, not at start-up
    import httpx

_CHUNK = 1 << 20
#: Files up to this size are read once into memory (hash and decode from the same bytes);
#: larger ones are hashed streaming and decoded from disk, so they are never held whole.
IN_MEMORY = 16 * 1024 * 1024


@record
class FileSource:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name or str(self.path)


@record
class UrlSource:
    url: str

    @property
    def name(self) -> str:
        return self.url


@record
class BytesSource:
    """Raw image bytes, e.g. from the clipboard."""

    data: bytes = field(repr=False)
    label: str = "pasted image"

    @property
    def name(self) -> str:
        return self.label


Source = FileSource | UrlSource | BytesSource
ImageInput = Source | str | os.PathLike[str] | bytes


def as_source(value: ImageInput) -> Source:
    """A file path, an ``http(s)://`` or ``file://`` URL, raw bytes, or a Source as is."""
    if isinstance(value, FileSource | UrlSource | BytesSource):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return BytesSource(bytes(value))
    text = os.fspath(value)
    scheme = urlsplit(text).scheme.lower()
    if scheme == "file":
        return FileSource(Path(unquote(urlsplit(text).path)))
    if len(scheme) > 1:  # "C:\\..." has a one-letter scheme
        return UrlSource(text)
    return FileSource(Path(text))


@record
class Loaded:
    """A source read and hashed: the bytes in memory, or the file to open again.

    ``path`` is where a file source lives; ``data`` the bytes when they are held in memory
    (URLs, pasted bytes, files up to ``IN_MEMORY``).
    """

    name: str
    sha256: str
    size: int
    suffix: str  # the file extension as named by the user, lower case ("" when none)
    data: bytes | None = field(default=None, repr=False)
    path: Path | None = None

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def target(self) -> BinaryIO | Path:
        """What Pillow should open: the bytes when held, else the path (Pillow closes it)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path

    def head(self, n: int = 64) -> bytes:
        """The first bytes, to say what a non-image is."""
        if self.data is not None:
            return self.data[:n]
        try:
            with self.open() as fp:
                return fp.read(n)
        except OSError:
            return b""


def load(source: Source, cap: int, timeout_s: float = 30.0,
         client: httpx.Client | None = None) -> Loaded:
    if isinstance(source, FileSource):
        return _load_file(source, cap)
    if isinstance(source, UrlSource):
        return _load_url(source, cap, timeout_s, client)
    return _load_bytes(source.data, source.name, cap, "")


def _too_large(name: str, size: int | None, cap: int) -> ImageProblem:
    got = f"is {format_bytes(size)}" if size is not None else "is larger than that"
    return ImageProblem(ProblemKind.TOO_LARGE, name,
                        f"{name} {got}; the limit is {format_bytes(cap)} per image. Export a "
                        "smaller JPEG or PNG and add that instead.")


def _empty(name: str) -> ImageProblem:
    return ImageProblem(ProblemKind.EMPTY, name,
                        f"{name} is empty (0 bytes). It may still be downloading or syncing; "
                        "add it again once it is complete.")


def _load_bytes(data: bytes, name: str, cap: int, suffix: str) -> Loaded:
    if not data:
        raise _empty(name)
    if len(data) > cap:
        raise _too_large(name, len(data), cap)
    return Loaded(name, hashlib.sha256(data).hexdigest(), len(data), suffix, data=data)


def _load_file(source: FileSource, cap: int) -> Loaded:
    name, path = source.name, source.path
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(str(path))
        if size == 0:
            raise _empty(name)
        if size > cap:
            raise _too_large(name, size, cap)
        if size <= IN_MEMORY:
            data = path.read_bytes()
            return Loaded(name, hashlib.sha256(data).hexdigest(), len(data),
                          path.suffix.lower(), data=data, path=path)
        digest = hashlib.sha256()
        with path.open("rb") as fp:
            while chunk := fp.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        raise ImageProblem(ProblemKind.UNREADABLE, name,
                           f"{name} does not exist at {path} (moved or deleted?). Add it "
                           "again from where it is now.") from None
    except IsADirectoryError:
        raise ImageProblem(ProblemKind.UNREADABLE, name,
                           f"{name} is a folder, not an image. Add the pictures inside it."
                           ) from None
    except PermissionError:
        raise ImageProblem(ProblemKind.UNREADABLE, name,
                           f"{name} cannot be read: permission denied. Check the file's "
                           "permissions or copy it somewhere readable.") from None
    except OSError as exc:
        raise ImageProblem(ProblemKind.UNREADABLE, name,
                           f"{name} cannot be read ({exc.strerror or exc}). Copy it to a local "
                           "disk and try again.") from None
    return Loaded(name, digest.hexdigest(), size, path.suffix.lower(), path=path)


def _url_failed(url: str, why: str) -> ImageProblem:
    return ImageProblem(ProblemKind.URL_FAILED, url,
                        f"{url} could not be downloaded: {why}. Check the link in a browser, "
                        "or save the image and add the file instead.")


def _load_url(source: UrlSource, cap: int, timeout_s: float,
              client: httpx.Client | None) -> Loaded:
    import httpx

    url = source.url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise _url_failed(url, "only http:// and https:// links can be downloaded")
    suffix = Path(unquote(parts.path)).suffix.lower()
    own = client is None
    http = client or httpx.Client(timeout=timeout_s, follow_redirects=True)
    try:
        with http.stream("GET", url, timeout=timeout_s) as response:
            if response.status_code != 200:
                reason = response.reason_phrase or "error"
                raise _url_failed(url, f"the server answered HTTP {response.status_code} "
                                       f"({reason})")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > cap:
                raise _too_large(url, int(declared), cap)
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes(_CHUNK):
                total += len(chunk)
                if total > cap:
                    raise _too_large(url, None, cap)
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise _url_failed(url, f"no answer within {timeout_s:g} s") from None
    except httpx.HTTPError as exc:
        raise _url_failed(url, f"{type(exc).__name__}: {exc}") from None
    finally:
        if own:
            http.close()
    return _load_bytes(b"".join(chunks), url, cap, suffix)
