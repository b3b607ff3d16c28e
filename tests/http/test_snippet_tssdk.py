"""The `ts-sdk` snippet: type-checked by tsc against the client's declaration made from
the demo document, then run through a small runtime of that client (node) against the
recorder, and compared with what `Sender` delivers for the same request. The SDK sends
the JSON body re-serialised, so bodies are compared as JSON values; the rest exactly."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from snippet_runs import NODE_MODULES, Arrival, Recorder, differences, send_all, serve_recorder

from explorer import spec
from explorer.demo import demo_spec_path
from explorer.http import AuthInput, BodyInput, ParamValue, RequestInput, build_request
from explorer.http.snippets import SnippetContext, SnippetOptions, generate
from explorer.http.snippets._tssdk import method_name, module_name, sdk_declaration, sdk_runtime

TSC = NODE_MODULES / ".bin" / "tsc"
pytestmark = pytest.mark.skipif(
    not TSC.exists(), reason=f"no {TSC} (.ci/peers/snippets.sh installs typescript)"
)
KEY = "ecos_test_0123456789abcdef0123456789abcdef"
IDEMPOTENCY_KEY = "4b5c6d7e-0000-4000-8000-000000000001"
ENV = {
    "ECOSIRE_API_KEY": KEY,
    "ECOSIRE_TOKEN": "eyJhbGciOiJIUzI1NiJ9.e30.sig-_x",
    "ECOSIRE_USER": "demo@ecosire.com",
    "ECOSIRE_PASSWORD": "pä:ss $x",
}


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    yield from serve_recorder()


@pytest.fixture(scope="module")
def api() -> spec.Spec:
    return spec.load(str(demo_spec_path()))


def inputs(api: spec.Spec, recorder: Recorder) -> dict[str, tuple[str | None, RequestInput]]:
    """{case: (operation key or None, what the form held)}."""
    bearer = AuthInput("bearer", token=KEY, env_name="ECOSIRE_API_KEY")
    token = AuthInput("bearer", token=ENV["ECOSIRE_TOKEN"], env_name="ECOSIRE_TOKEN")
    cookie = AuthInput(
        "apikey", token=ENV["ECOSIRE_TOKEN"], name="ecosire_auth", location="cookie",
        env_name="ECOSIRE_TOKEN",
    )  # fmt: skip

    def body(value: object) -> BodyInput:
        return BodyInput("application/json", json.dumps(value, indent=2, ensure_ascii=False))

    return {
        "login": ("POST /auth/login", RequestInput(
            "POST", recorder.base("login"), "/auth/login",
            body=body({"email": "demo@ecosire.com", "password": "p'\"$ä\\x"}),
        )),
        "list": ("GET /contacts", RequestInput(
            "GET", recorder.base("list"), "/contacts",
            params=(ParamValue("page", "query", 2), ParamValue("limit", "query", 50),
                    ParamValue("q", "query", "Zoë & co 'x' ✓"),
                    ParamValue("tag", "query", ["vip", "a b"], "form", True)),
            auth=bearer,
        )),
        "create": ("POST /contacts", RequestInput(
            "POST", recorder.base("create"), "/contacts",
            params=(ParamValue("Idempotency-Key", "header", IDEMPOTENCY_KEY),),
            body=body({"type": "company", "name": "Acme \"Zoë\" $x ✓", "tags": ["a", "b"],
                       "address": {"street": "Main 1", "city": "Berlin", "country": "DE"}}),
            auth=token,
        )),
        "get": ("GET /contacts/{contactId}", RequestInput(
            "GET", recorder.base("get"), "/contacts/{contactId}",
            params=(ParamValue("contactId", "path", "con_01HXYZ0000ABCDEFGH"),), auth=cookie,
        )),
        "capture": ("POST /crm/capture", RequestInput(
            "POST", recorder.base("capture"), "/crm/capture",
            body=body({"email": "lead@example.com", "name": "Lead ✓", "source": "website",
                       "consent": True}),
        )),
        "validate": ("POST /licenses/validate", RequestInput(
            "POST", recorder.base("validate"), "/licenses/validate",
            body=body({"licenseKey": "ECOS-AAAA-BBBB-CCCC-DDDD", "productId": "prd_01HODOOCRM"}),
        )),
        "ask": ("POST /ecosire-ai/ask", RequestInput(
            "POST", recorder.base("ask"), "/ecosire-ai/ask",
            body=body({"question": "How do I export contacts?\nAnd \"quotes\"?"}), auth=bearer,
        )),
        "adhoc": (None, RequestInput(
            "PUT", recorder.base("adhoc"), "/anything/é",
            params=(ParamValue("x", "query", "1 2"),),
            headers=(("X-Note", "it's \"quoted\""),),
            body=BodyInput("text/plain", "raw $text\nline 2"),
            auth=AuthInput("basic", username="demo@ecosire.com", password="pä:ss $x",
                           env_name="ECOSIRE_PASSWORD"),
        )),
    }  # fmt: skip


def compile_and_run(
    snippets: dict[str, str], api: spec.Spec, tmp: Path
) -> subprocess.CompletedProcess[str]:
    """tsc checks and compiles the snippets against the client's declaration; node runs
    them all (the client's runtime is the package @ecosire/sdk in node_modules)."""
    package = tmp / "node_modules" / "@ecosire" / "sdk"
    package.mkdir(parents=True)
    (package / "package.json").write_text(
        '{"name": "@ecosire/sdk", "type": "module", "main": "index.js", "types": "index.d.ts"}'
    )
    (package / "index.js").write_text(sdk_runtime(api), encoding="utf-8")
    (package / "index.d.ts").write_text(sdk_declaration(api), encoding="utf-8")
    (tmp / "package.json").write_text('{"type": "module"}')
    (tmp / "env.d.ts").write_text(
        "declare const process: { env: Record<string, string | undefined> };\n"
    )
    for case, text in snippets.items():
        (tmp / f"case_{case}.ts").write_text(text, encoding="utf-8")
    config = {
        "compilerOptions": {
            "target": "es2022", "module": "es2022", "moduleResolution": "bundler",
            "lib": ["es2022", "dom"], "strict": True, "outDir": "out",
            "noEmitOnError": True, "skipLibCheck": False, "types": [],
        },
        "include": ["*.ts"],
    }  # fmt: skip
    (tmp / "tsconfig.json").write_text(json.dumps(config))
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp)}
    checked = subprocess.run(
        [str(TSC), "-p", str(tmp)], cwd=tmp, capture_output=True, text=True, env=env, timeout=300
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    driver = "for (const f of process.argv.slice(2)) { try { await import(f); } catch (e) "
    driver += '{ console.error("FAILED", f, e); } }\n'
    (tmp / "out" / "driver.mjs").write_text(driver)
    (tmp / "out" / "package.json").write_text('{"type": "module"}')
    files = [str(tmp / "out" / f"case_{case}.js") for case in snippets]
    return subprocess.run(
        ["node", str(tmp / "out" / "driver.mjs"), *files],
        cwd=tmp, capture_output=True, text=True, env={**env, **ENV}, timeout=300,
    )  # fmt: skip


def same_json(got: Arrival, ours: Arrival) -> bool:
    return json.loads(got.body) == json.loads(ours.body)


def test_ts_sdk_snippets_type_check_and_send_what_the_explorer_sends(
    api: spec.Spec, recorder: Recorder, tmp_path: Path
) -> None:
    ops = {op.key: op for op in api.operations}
    cases = inputs(api, recorder)
    prepared = {case: build_request(inp) for case, (_key, inp) in cases.items()}
    snippets = {}
    for case, (key, inp) in cases.items():
        context = SnippetContext(api, ops[key] if key else None, inp)
        snippets[case] = generate("ts-sdk", prepared[case], SnippetOptions(), context)
        assert KEY not in snippets[case] and ENV["ECOSIRE_TOKEN"] not in snippets[case]
    assert "client.contacts.list({" in snippets["list"]
    assert "client.auth.login({" in snippets["login"]
    assert "apiKey: process.env.ECOSIRE_API_KEY" in snippets["list"]
    assert "client.request({" in snippets["adhoc"]
    recorder.clear()
    ours = send_all(prepared, recorder)
    done = compile_and_run(snippets, api, tmp_path)
    wrong = {}
    for case, request in prepared.items():
        arrived = recorder.take(case)
        if len(arrived) != 1:
            wrong[case] = [f"{len(arrived)} arrived: {done.stderr[-2000:]}"]
            continue
        problems = differences(request, arrived[0], ours[case])
        if request.content is not None and "json" in dict(request.headers).get("Content-Type", ""):
            problems = [p for p in problems if not p.startswith("body")]
            if not same_json(arrived[0], ours[case]):
                problems.append(f"JSON body: {arrived[0].body!r} != {ours[case].body!r}")
        if problems:
            wrong[case] = problems
    assert not wrong, "\n".join(f"{case}: {p}" for case, p in wrong.items())


def test_tsc_rejects_a_call_that_does_not_fit_the_declaration(
    api: spec.Spec, tmp_path: Path
) -> None:
    bad = (
        'import { EcosireClient } from "@ecosire/sdk";\n'
        "const client = new EcosireClient({});\n"
        'await client.contacts.create({}, { type: "robot", name: 1 });\n'
    )
    with pytest.raises(AssertionError, match=r"robot|not assignable"):
        compile_and_run({"bad": bad}, api, tmp_path)


def test_names_come_from_tags_and_operation_ids(api: spec.Spec) -> None:
    ops = {op.key: op for op in api.operations}
    assert (module_name(ops["POST /ecosire-ai/ask"]), method_name(ops["POST /ecosire-ai/ask"])) == (
        "ecosireAi",
        "ask",
    )
    assert method_name(ops["GET /contacts"]) == "list"
    assert method_name(ops["POST /auth/login"]) == "login"
    declaration = sdk_declaration(api)
    assert "readonly contacts: {" in declaration
    assert 'type: "person" | "company"' in declaration
