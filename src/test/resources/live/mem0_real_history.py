"""Current mem0's own history code, unmodified, reading a history file the way an application does.

usage: mem0_real_history.py STORAGE_PY DB OUT [ADD_COUNT | open]
Loads mem0/memory/storage.py from STORAGE_PY (a file of mem0's repository; it imports only the
standard library), constructs SQLiteManager(DB) exactly as Memory does (its start-up migration runs),
writes to OUT one JSON line per memory with get_history(memory_id), then, with ADD_COUNT, adds that
many events through add_history and prints their memory ids. Nothing here re-implements mem0.
"""
import importlib.util
import json
import sqlite3
import sys

storage_py, db, out = sys.argv[1], sys.argv[2], sys.argv[3]
open_only = len(sys.argv) > 4 and sys.argv[4] == "open"
adds = int(sys.argv[4]) if len(sys.argv) > 4 and not open_only else 0
spec = importlib.util.spec_from_file_location("mem0_storage", storage_py)
storage = importlib.util.module_from_spec(spec)
spec.loader.exec_module(storage)

if open_only:  # an application of that release starting on the file: what its start-up does, and how it ends
    try:
        storage.SQLiteManager(db)
        print("started")
    except Exception as e:
        print("failed: %s" % e)
    sys.exit(0)
manager = storage.SQLiteManager(db)
probe = sqlite3.connect(db)
memory_ids = [r[0] for r in probe.execute("SELECT DISTINCT memory_id FROM history WHERE memory_id IS NOT NULL ORDER BY 1")]
probe.close()
with open(out, "w") as f:
    for memory_id in memory_ids:
        f.write(json.dumps({"memory_id": memory_id, "history": manager.get_history(memory_id)}) + "\n")
for i in range(adds):
    manager.add_history("real-mem0-%d" % i, None, "added by mem0's own add_history %d" % i, "ADD",
                        created_at="2026-12-01T10:00:0%d.000001+00:00" % (i % 10))
manager.close() if hasattr(manager, "close") else None
