"""`explorer inspect SPEC`: load a document and report what it holds and what is odd."""

from __future__ import annotations

import sys
from typing import Any, TextIO

import orjson

from explorer import spec as spec_mod
from explorer.errors import SpecError

__all__ = ["inspect_report", "run_inspect"]


def inspect_report(api: spec_mod.Spec) -> dict[str, Any]:
    """The counts and warnings of a loaded document; resolves every operation to lint it."""
    for op in (*api.operations, *api.webhooks):
        op.resolve_all()
    return {
        "title": api.title,
        "version": api.version,
        "openapi": api.openapi_version,
        "source": api.source,
        "operations": len(api.operations),
        "modules": len(api.modules),
        "webhooks": len(api.webhooks),
        "schemas": len(api.schema_names),
        "servers": [s.url for s in api.servers],
        "security_schemes": sorted(api.security_schemes),
        "module_names": [m.name for m in api.modules],
        "warnings": [
            {"message": w.message, "pointer": w.pointer, "source": w.source} for w in api.warnings
        ],
    }


def run_inspect(
    source: str,
    *,
    as_json: bool = False,
    allow_remote_refs: bool = False,
    allow_outside_refs: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Print the report; 0 when the document loaded, 2 (one line on `err`) when not."""
    try:
        api = spec_mod.load(
            source, allow_remote_refs=allow_remote_refs, allow_outside_refs=allow_outside_refs
        )
        report = inspect_report(api)
    except SpecError as exc:
        print(f"explorer: {exc}", file=err)
        return 2
    except RecursionError:
        print(f"explorer: {source}: the document is nested too deeply", file=err)
        return 2
    except MemoryError:
        print(f"explorer: {source}: not enough memory to load the document", file=err)
        return 2
    if as_json:
        out.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    lines = [
        f"{report['title']} {report['version']}  (OpenAPI {report['openapi']})",
        f"  operations: {report['operations']}",
        f"  modules:    {report['modules']}",
        f"  webhooks:   {report['webhooks']}",
        f"  schemas:    {report['schemas']}",
        f"  servers:    {', '.join(report['servers']) or '-'}",
        f"  security:   {', '.join(report['security_schemes']) or '-'}",
        f"  warnings:   {len(report['warnings'])}",
    ]
    for w in report["warnings"]:
        where = w["pointer"] or w["source"]
        lines.append(f"    - {w['message']}" + (f"  (at {where})" if where else ""))
    out.write("\n".join(lines) + "\n")
    return 0
