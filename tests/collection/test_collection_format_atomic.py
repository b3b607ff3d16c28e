"""A save killed half-way: the process dies (SIGKILL) after the new text is written to its
temporary file and before the rename. The old file is whole and the collection loads."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from explorer.collection.model import Body, Collection, Folder, SavedRequest
from explorer.collection.store import load_collection, write_collection

OLD = SavedRequest(
    "Create a contact",
    "POST",
    "{{baseUrl}}/contacts",
    body=Body("application/json", '{\n  "name": "Ada"\n}\n'),
)

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from dataclasses import replace
    from pathlib import Path

    from explorer.collection.model import Body
    from explorer.collection.store import load_collection, save_request

    root = Path(sys.argv[1])
    col, problems = load_collection(root)
    assert not problems, problems
    (folder, old), = col.root.requests()
    big = replace(old, body=Body("application/json", '{"name": "' + "x" * 4_000_000 + '"}'))

    real_replace = os.replace

    def killed_before_rename(src, dst, *args, **kwargs):
        # the temporary file is written and flushed: die before it takes the file's place
        print(os.path.getsize(src), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = killed_before_rename
    save_request(root, folder, big)
    print("not killed", flush=True)
    """
)


def test_a_save_killed_before_the_rename_leaves_the_old_file_whole(tmp_path: Path) -> None:
    root = tmp_path / "col"
    write_collection(root, Collection("c", root=Folder("", [Folder("Contacts", [OLD])])))
    path = root / "Contacts" / "create-a-contact.yaml"
    before = path.read_bytes()

    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, timeout=120
    )

    assert done.returncode == -signal.SIGKILL, done.stderr
    assert int(done.stdout.split()[0]) > 4_000_000  # the new text was all written aside
    assert path.read_bytes() == before
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".create-a-contact.yaml.")
    col, problems = load_collection(root)
    assert problems == []
    assert [(f, r.body) for f, r in col.root.requests()] == [(("Contacts",), OLD.body)]
