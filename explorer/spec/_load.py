"""`load()`: the one way in."""

from __future__ import annotations

import dataclasses
import gc
import os
from pathlib import Path

from explorer.errors import Location, SpecError, StructureError
from explorer.spec._build import build_spec
from explorer.spec._refs import Resolver
from explorer.spec._source import parse, read_document
from explorer.spec.model import Spec, SpecWarning

__all__ = ["default_cache_dir", "load", "load_bytes"]


def default_cache_dir() -> Path:
    """Where parsed YAML is cached: $EXPLORER_CACHE_DIR, else the user's cache folder."""
    env = os.environ.get("EXPLORER_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("explorer", appauthor=False))


def load(
    source: str | os.PathLike[str],
    *,
    allow_remote_refs: bool = False,
    allow_outside_refs: bool = False,
    cache_dir: Path | bool | None = True,
) -> Spec:
    """Load an OpenAPI 2.0, 3.0 or 3.1 document from a file path or an http(s) URL.

    JSON or YAML is told from the name and the content. Every other document a `$ref`
    reaches is read here, up front: resolving an operation later never reads a file or
    the network (so it may run on the window's thread). Files are read from the
    document's folder tree, others only with `allow_outside_refs`; http(s) documents only
    with `allow_remote_refs` (or, for a document opened from a URL, from its own origin).
    Only regular files are read, and everything read has a size cap (fetches also a
    deadline). `cache_dir` is where parsed YAML is kept (True: the user's cache folder;
    None or False: no cache). A document opened from a URL that redirects is known by
    the URL it came from (its references are relative to that).

    Raises a `SpecError` (with a location) when the document cannot be used at all;
    anything odd but survivable is in the returned `Spec.warnings`, which resolving
    operations later adds to (the one list of warnings).
    """
    data, uri = read_document(os.fspath(source))
    return load_bytes(
        data,
        uri,
        allow_remote_refs=allow_remote_refs,
        allow_outside_refs=allow_outside_refs,
        cache_dir=cache_dir,
    )


def load_bytes(
    data: bytes,
    uri: str = "<memory>",
    *,
    allow_remote_refs: bool = False,
    allow_outside_refs: bool = False,
    cache_dir: Path | bool | None = None,
) -> Spec:
    """Load a document from bytes; `uri` is where relative `$ref`s are read from (for a
    name such as "<memory>", the working folder)."""
    # Parsing makes millions of objects that all live on: the cyclic collector would only
    # walk them in vain (a full pass is a third of the load on GitHub's spec), so it waits.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_bytes(data, uri, allow_remote_refs, allow_outside_refs, cache_dir)
    finally:
        if paused:
            gc.enable()


def _load_bytes(
    data: bytes,
    uri: str,
    allow_remote_refs: bool,
    allow_outside_refs: bool,
    cache_dir: Path | bool | None,
) -> Spec:
    cache: Path | None
    if cache_dir is True:
        cache = default_cache_dir()
    elif cache_dir is False or cache_dir is None:
        cache = None
    else:
        cache = cache_dir
    parsed = parse(data, uri, cache_dir=cache)
    warnings: list[SpecWarning] = []
    resolver = Resolver(
        uri,
        parsed.doc,
        warnings,
        allow_remote=allow_remote_refs,
        allow_outside=allow_outside_refs,
        cache_dir=cache,
    )
    resolver.warn_duplicates(parsed.duplicates, uri)
    try:
        spec = build_spec(parsed.doc, uri, resolver)
    except SpecError:
        raise
    except RecursionError:
        raise StructureError("the document is nested too deeply", Location(uri)) from None
    resolver.read_documents(parsed.refs)
    consent = resolver.consent_needed()
    return dataclasses.replace(spec, consent=consent) if consent else spec
