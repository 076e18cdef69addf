#!/usr/bin/python3
# SPDX-License-Identifier: EUPL-1.2
"""The forensic reader: links arrivals to answers from a kiosk's files.

Usage: wal_linker.py DB K
  DB  a copy of the kiosk's database file, with its -wal beside it (taken while it ran)
  K   the site's k: the fewest visitors one batch of answers may mix

It rebuilds the database as it stood after every commit in the -wal (the main file as of
the last checkpoint, then each frame of the current generation in order; a commit frame
closes a state), reads each state with sqlite3, and diffs consecutive states. It then
tries what an examiner would:

  same-commit   a commit that inserts an arrival row and adds to an answer cell links
                that arrival to that answer (the old kiosk wrote both in one transaction);
  small-batch   a commit that adds the answers of fewer than K visitors (answer, response
                or stress x wait cells) narrows them to the few arrivals since the last one;
  status-link   a commit that changes an arrival's status (collected, no-show, or left: the
                visitor named themselves at "Ik ga weg") and adds to any answer cell;
  hour-join     an answer cell of an hour in which a single arrival came links it.

Prints one line per link ("LINK rule: day name time -> what") and a summary; exit 1 when
anything links, 0 when nothing does, 2 when the files cannot be read.
Only the standard library: Debian's /usr/bin/python3.
"""
import os
import sqlite3
import struct
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import datetime, timezone

WAL_MAGIC = (0x377F0682, 0x377F0683)


def read_frames(wal_path):
    """Frames of the WAL's current generation: (page_number, commit_size, page_bytes)."""
    with open(wal_path, "rb") as f:
        data = f.read()
    if len(data) < 32:
        return 0, []
    magic, _version, page_size, _seq, salt1, salt2 = struct.unpack(">IIIIII", data[:24])
    if magic not in WAL_MAGIC:
        raise ValueError(f"{wal_path}: not a WAL file (magic {magic:#x})")
    frames = []
    offset = 32
    while offset + 24 + page_size <= len(data):
        page, commit, s1, s2 = struct.unpack(">IIII", data[offset : offset + 16])
        if (s1, s2) != (salt1, salt2):
            break  # an older generation starts here
        frames.append((page, commit, data[offset + 24 : offset + 24 + page_size]))
        offset += 24 + page_size
    return page_size, frames


def states(db_path):
    """The database image after each commit of the WAL (the first: the main file alone)."""
    with open(db_path, "rb") as f:
        image = bytearray(f.read())
    page_size, frames = read_frames(db_path + "-wal") if os.path.exists(db_path + "-wal") else (0, [])
    yield bytes(image)
    for page, commit, content in frames:
        start = (page - 1) * page_size
        if len(image) < start + page_size:
            image.extend(b"\0" * (start + page_size - len(image)))
        image[start : start + page_size] = content
        if commit:
            del image[commit * page_size :]
            yield bytes(image)


def read_state(image, scratch):
    """Arrivals and every answer-bearing counter of one image."""
    image = bytearray(image)
    if len(image) >= 20:
        image[18] = image[19] = 1  # read it as a rollback-journal file: no -wal needed
    with open(scratch, "wb") as f:
        f.write(image)
    db = sqlite3.connect(f"file:{scratch}?immutable=1", uri=True)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    state = {"arrivals": {}, "cells": Counter(), "status": {}}
    if "arrivals" in tables:
        for day, number, name, arrived_ms, status in db.execute(
            "SELECT day, name_number, friendly_name, arrived_ms, status FROM arrivals"
        ):
            state["arrivals"][(day, number)] = (name, arrived_ms)
            state["status"][(day, number)] = status
    queries = {
        "answer_counts": "SELECT 'answer', day, hour, moment||'/'||question||'='||answer, n "
        "FROM answer_counts",
        "response_counts": "SELECT 'response', day, hour, moment||'/'||question||'='||response, "
        "n FROM response_counts WHERE response <> 'withheld'",
        "stress_wait_counts": "SELECT 'stress_wait', day, -1, stress_band||'x'||wait_band, n "
        "FROM stress_wait_counts",
    }
    for table, sql in queries.items():
        if table in tables:
            for kind, day, hour, key, n in db.execute(sql):
                state["cells"][(kind, day, hour, key)] += n
    db.close()
    return state


def describe(arrival_key, arrival):
    day, _number = arrival_key
    name, arrived_ms = arrival
    when = datetime.fromtimestamp(arrived_ms / 1000, tz=timezone.utc).strftime("%H:%M:%S UTC")
    return f"{day} {name} {when}"


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    db_path, k = sys.argv[1], int(sys.argv[2])
    links = []
    scratch_dir = tempfile.mkdtemp(prefix="oase-linker-")
    scratch = os.path.join(scratch_dir, "state.db")
    try:
        all_states = [read_state(image, scratch) for image in states(db_path)]
    except (OSError, ValueError, sqlite3.DatabaseError) as error:
        print(f"wal_linker: {db_path}: {error}", file=sys.stderr)
        return 2
    finally:
        if os.path.exists(scratch):
            os.remove(scratch)
        os.rmdir(scratch_dir)

    seen_arrivals = {}
    batches = 0
    lefts = 0  # arrivals marked left in some commit (the attack is not vacuous)
    for before, after in zip(all_states, all_states[1:]):
        new = {key: value for key, value in after["arrivals"].items() if key not in before["arrivals"]}
        seen_arrivals.update(after["arrivals"])
        delta = after["cells"] - before["cells"]  # only what grew
        answers = {cell: n for cell, n in delta.items() if cell[0] in ("answer", "response")}
        pairs = {cell: n for cell, n in delta.items() if cell[0] == "stress_wait"}
        marked = [
            (key, status)
            for key, status in after["status"].items()
            if key in before["status"] and status != before["status"][key]
        ]
        if new and answers:
            for key, value in new.items():
                links.append(f"LINK same-commit: {describe(key, value)} -> {sorted(answers)}")
        if marked and (pairs or answers):
            for key, status in marked:
                links.append(
                    f"LINK status-link: {describe(key, after['arrivals'][key])} {status} -> "
                    f"{sorted(pairs) + sorted(answers)}"
                )
        lefts += sum(1 for _key, status in marked if status == "left")
        # Visitors in a commit: stress responses (one per visitor and moment) and pairs.
        visitors = sum(n for cell, n in answers.items() if cell[3].split("=")[0].endswith("/stress"))
        for kind, count in (("answers", visitors), ("stress x wait", sum(pairs.values()))):
            if 0 < count < k:
                links.append(f"LINK small-batch: one commit writes the {kind} of {count} visitors (k {k})")
        if answers or pairs:
            batches += 1

    # The join: an answer cell of an hour in which only one arrival came.
    per_hour = defaultdict(list)
    for key, (name, arrived_ms) in seen_arrivals.items():
        hour = datetime.fromtimestamp(arrived_ms / 1000).hour  # the kiosk's TZ, as the run's
        per_hour[(key[0], hour)].append(key)
    final = all_states[-1]["cells"]
    for (kind, day, hour, key), n in sorted(final.items()):
        if kind == "answer" and hour >= 0 and len(per_hour.get((day, hour), [])) == 1:
            only = per_hour[(day, hour)][0]
            links.append(f"LINK hour-join: {describe(only, seen_arrivals[only])} -> {key}")

    for line in links:
        print(line)
    print(
        f"wal_linker: {len(all_states) - 1} commits, {len(seen_arrivals)} arrivals, "
        f"{batches} commits with answers, {lefts} marked left, {len(links)} links"
    )
    return 1 if links else 0


if __name__ == "__main__":
    sys.exit(main())
