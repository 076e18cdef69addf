#!/usr/bin/python3
# SPDX-License-Identifier: EUPL-1.2
"""The forensic reader's own test: it must catch a kiosk that writes a visitor's 'left'
(named at "Ik ga weg") in the same commit as their departure answer, and must stay quiet
when the two are separate commits and the answer leaves in a batch of k.

Usage: linker_selftest.py LINKER K    exit 0 when both hold, 1 otherwise.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

SCHEMA = """
CREATE TABLE arrivals(day TEXT, name_number INTEGER, friendly_name TEXT, arrived_ms INTEGER,
                      status TEXT, PRIMARY KEY (day, name_number));
CREATE TABLE answer_counts(day TEXT, hour INTEGER, moment TEXT, question TEXT, answer INTEGER,
                           n INTEGER, PRIMARY KEY (day, hour, moment, question, answer));
CREATE TABLE response_counts(day TEXT, hour INTEGER, moment TEXT, question TEXT, response TEXT,
                             n INTEGER, PRIMARY KEY (day, hour, moment, question, response));
"""
DAY = "2026-03-02"
T0 = 1772442000000  # 2026-03-02 09:00 UTC


def departure(db, answer):
    db.execute(
        "INSERT INTO answer_counts VALUES (?, -1, 'departure', 'stress', ?, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        (DAY, answer),
    )
    db.execute(
        "INSERT INTO response_counts VALUES (?, -1, 'departure', 'stress', 'answered', 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        (DAY,),
    )


def kiosk_day(path, k, leaky):
    """Arrivals, then k departures in one batch: visitor 1 says who they are; leaky writes
    that in the batch's commit (k answers, so no small batch hides the leak), else on its
    own before it."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.executescript(SCHEMA)
    for number in range(1, k + 2):
        db.execute(
            "INSERT INTO arrivals VALUES (?, ?, ?, ?, 'waiting')",
            (DAY, number, f"Vlinder {number}", T0 + number * 60000),
        )
    if not leaky:
        db.execute("UPDATE arrivals SET status = 'left' WHERE name_number = 1")
    db.execute("BEGIN")
    if leaky:
        db.execute("UPDATE arrivals SET status = 'left' WHERE name_number = 1")
    for answer in [7] + list(range(k - 1)):
        departure(db, answer)
    db.execute("COMMIT")
    return db


def attack(linker, k, leaky):
    work = tempfile.mkdtemp(prefix="oase-linker-selftest-")
    try:
        db = kiosk_day(os.path.join(work, "kiosk.db"), k, leaky)
        os.mkdir(os.path.join(work, "copy"))
        for name in ("kiosk.db", "kiosk.db-wal"):  # copied while the "kiosk" holds it open
            shutil.copy(os.path.join(work, name), os.path.join(work, "copy", name))
        db.close()
        run = subprocess.run(
            [sys.executable, linker, os.path.join(work, "copy", "kiosk.db"), str(k)],
            capture_output=True,
            text=True,
            check=False,
        )
        return run.returncode, run.stdout
    finally:
        shutil.rmtree(work)


def main():
    linker, k = sys.argv[1], int(sys.argv[2])
    failed = 0
    code, out = attack(linker, k, leaky=True)
    if code == 1 and "LINK status-link" in out and "left" in out:
        print("ok   the reader links a 'left' written with its departure answer")
    else:
        print(f"FAIL the reader misses a 'left' written with its answer (exit {code}): {out}")
        failed += 1
    code, out = attack(linker, k, leaky=False)
    if code == 0 and "1 marked left" in out:
        print("ok   a 'left' on its own and the answer in a batch of k link nothing")
    else:
        print(f"FAIL separate commits (exit {code}): {out}")
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
