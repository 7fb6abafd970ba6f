#!/usr/bin/env python3
"""Execute notebooks end to end with the course's tslab kernel through Jupyter's own nbclient.

tslab reports a failed cell with an empty error and puts the message on stderr, so tools that read only
the error (nbmake, nbval) pass broken notebooks. This runner treats any `error` reply as a failure and
reports the notebook, the cell number, the cell's first lines and the stderr the cell printed.
Called by scripts/run-notebooks.mjs, which sets JUPYTER_PATH and the profile.
"""
import argparse
import concurrent.futures
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = "how-llms-work"


def cell_text(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def stream_text(cell, name):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == name:
            parts.append(out.get("text", ""))
        if out.get("output_type") == "error":
            tb = "\n".join(out.get("traceback") or [])
            parts.append(" ".join(x for x in (out.get("ename"), out.get("evalue"), tb) if x))
    return "".join(parts)


def run_one(path, timeout, output_dir):
    started = time.time()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    result = {"notebook": path, "ok": True, "seconds": 0.0, "cells": len(nb.cells)}
    code_index = 0
    current = None
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                current = index
                if cell.cell_type != "code":
                    continue
                code_index += 1
                client.execute_cell(cell, index)
                # tslab may also answer "ok" while writing a compile error to stderr only.
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        cell = nb.cells[current]
        first = "\n".join(cell_text(cell).splitlines()[:3])
        kind = {
            CellTimeoutError: f"timed out after {timeout} s (raise --timeout, or make the cell faster in the ci profile)",
            DeadKernelError: "killed the kernel (out of memory, or a crash)",
        }.get(type(err), "failed")
        stderr = stream_text(cell, "stderr").strip() or str(err).strip() or "(no message: tslab printed nothing)"
        result.update(
            ok=False,
            cell=current + 1,
            code_cell=code_index,
            kind=kind,
            first_lines=first,
            stderr=stderr[-4000:],
        )
    except Exception as err:  # the kernel did not start, a notebook is malformed, ...
        result.update(ok=False, cell=(current or 0) + 1, code_cell=code_index, kind="could not run", first_lines="", stderr=repr(err))
    result["seconds"] = round(time.time() - started, 1)
    if output_dir:
        os.makedirs(output_dir, exist_ok=True)
        out = os.path.join(output_dir, os.path.basename(path))
        tmp = out + ".tmp"
        nbformat.write(nb, tmp)
        os.replace(tmp, out)
    return result


def describe_failure(r):
    indented = "\n".join("    " + line for line in r["first_lines"].splitlines())
    message = "\n".join("    " + line for line in r["stderr"].splitlines())
    return (
        f"FAIL {r['notebook']}: cell {r['cell']} (code cell {r['code_cell']}) {r['kind']} after {r['seconds']} s\n"
        f"  cell starts:\n{indented}\n  message:\n{message}"
    )


def code_of(path):
    with open(path, encoding="utf-8") as fh:
        nb = nbformat.read(fh, as_version=4)
    return "\n".join(cell_text(c) for c in nb.cells if c.cell_type == "code")


def chapter7_model_role(path):
    """'reader' for a notebook that loads chapter 7's model (or trains a stand-in into its checkpoint when the file is
    missing), 'writer' for the notebook that trains and saves it (chapter 7), else None."""
    code = code_of(path)
    if "loadOrTrainCharGPT(" in code:
        return "reader"
    return "writer" if "chapter7Checkpoint(" in code else None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--timeout", type=int, default=300, help="seconds one cell may run")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks executed at once")
    parser.add_argument("--output-dir", default=None, help="write executed notebooks here")
    parser.add_argument("--report", default=None, help="write a JSON summary here")
    args = parser.parse_args()

    # Several at once, the notebooks that load chapter 7's model start after chapter 7 has saved it. Run beside it,
    # the first of them to look would find no checkpoint and train its own stand-in there, and which model the others
    # loaded (and so their numbers) would depend on the order the notebooks happened to finish in. One at a time, they
    # run in the order given, as a learner runs them.
    roles = {nb: chapter7_model_role(nb) for nb in args.notebooks} if args.jobs > 1 else {}
    writers = [nb for nb in args.notebooks if roles.get(nb) == "writer"]
    readers = [nb for nb in args.notebooks if roles.get(nb) == "reader"] if writers else []
    first = writers + [nb for nb in args.notebooks if nb not in writers and nb not in readers]

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_one, nb, args.timeout, args.output_dir): nb for nb in first}
        if readers:
            concurrent.futures.wait([f for f, nb in futures.items() if nb in writers])
            futures.update({pool.submit(run_one, nb, args.timeout, args.output_dir): nb for nb in readers})
        for future in concurrent.futures.as_completed(futures):
            r = future.result()
            results.append(r)
            if r["ok"]:
                print(f"ok   {r['notebook']} ({r['cells']} cells, {r['seconds']} s)", flush=True)
            else:
                print(describe_failure(r), flush=True)
    failed = [r for r in results if not r["ok"]]
    print(f"notebooks: {len(results) - len(failed)} passed, {len(failed)} failed")
    if args.report:
        tmp = args.report + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(sorted(results, key=lambda r: r["notebook"]), fh, indent=1)
        os.replace(tmp, args.report)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
