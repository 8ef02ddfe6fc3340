"""An application writing mem0 history the way mem0's Python SQLiteManager does (sqlite3 module,
one connection, default rollback journal or WAL as the file has it, each add_history in its own
transaction), at a steady rate, logging every write it committed and how long it waited.

usage: mem0_sqlite_writer.py DB LOG RATE_PER_S STOP_FILE
Writes until STOP_FILE exists; one JSON line per write: {"id", "value", "ok", "ms", "error"}.
"""
import json
import os
import sqlite3
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

db, log_path, rate, stop = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
connection = sqlite3.connect(db, check_same_thread=False)  # mem0: default timeout (5 s) and isolation level
lock = threading.Lock()


def add_history(history_id, memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted=0):
    # mem0 0.1.x SQLiteManager.add_history (G1 columns that G2 also has)
    with lock, connection:
        connection.execute(
            "INSERT INTO history (id, memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (history_id, memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted))


with open(log_path, "w", buffering=1) as log:
    n = 0
    while not os.path.exists(stop):
        n += 1
        row_id = str(uuid.uuid4())
        value = "live memory %d" % n
        now = datetime.now(timezone.utc).isoformat()
        started = time.monotonic()
        entry = {"id": row_id, "value": value, "t": time.time()}
        try:
            add_history(row_id, str(uuid.uuid4()), None, value, "ADD", now, None)
            entry["ok"] = True
        except Exception as e:  # what mem0 would raise to the application
            entry["ok"] = False
            entry["error"] = str(e)
        entry["ms"] = round((time.monotonic() - started) * 1000, 1)
        log.write(json.dumps(entry) + "\n")
        time.sleep(max(0.0, 1.0 / rate - (time.monotonic() - started)))
