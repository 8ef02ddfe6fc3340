"""mem0's own vector-store code, unmodified, writing and reading the stores mig moves (Debian's /usr/bin/python3).

usage: mem0_local_stores.py COMMAND JSON_ARGS
  qdrant-write  {era, mem0, qdrant_client, path, collection, dims, points: PATH, deletes: [...], updates: PATH, bm25: bool}
  qdrant-list   {era, mem0, qdrant_client, path, collection, dims, users: [...], out: PATH}
  qdrant-search {era, mem0, qdrant_client, path, collection, dims, queries: PATH, k, out: PATH}
  pg-list       {mem0, dsn, collection, dims, users: [...], out: PATH}
  pg-search     {mem0, dsn, collection, dims, queries: PATH, k, out: PATH}
  faiss-write   {mem0_faiss, mem0, path, collection, dims, distance, points: PATH, deletes: [...], updates: PATH}
  faiss-rows    {mem0_faiss, mem0, path, collection, dims, distance, out: PATH}: each memory's vector as mem0's index holds it
  faiss-list / faiss-search  as qdrant-list / qdrant-search, with mem0_faiss, path, collection, distance
  faiss-evil-docstore {path, collection, marker}: a .pkl docstore whose unpickling by Python would run a command
era: "v0.1.98" (mem0_old: the folder holding that release's vector_stores/qdrant.py) or "v3" (the qdrant.py of
mem0, the folder holding mem0/). Points files: one JSON object a line, {id, vector, payload}. The classes are
mem0's own, loaded from the given files; qdrant-client comes from its source folder. Nothing here re-implements
mem0: for a v3 store with bm25, fastembed (not installable here) is stood in for by a fixed hashing encoder
that gives mem0's insert the sparse vectors it would compute, so mem0's own code writes its named vectors.
"""
import importlib.util
import json
import sys
import types


def load_mem0(mem0_root, old_qdrant=None, faiss_py=None):
    sys.path.insert(0, mem0_root)
    import mem0.vector_stores.base  # noqa: F401 (mem0's base class, shared by both eras)
    if old_qdrant:
        spec = importlib.util.spec_from_file_location("mem0.vector_stores.qdrant_old", old_qdrant)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    if faiss_py:
        spec = importlib.util.spec_from_file_location("mem0.vector_stores.faiss", faiss_py)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    import mem0.vector_stores.qdrant as module
    return module


def points(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def qdrant_store(a):
    sys.path.insert(0, a["qdrant_client"])
    module = load_mem0(a["mem0"], old_qdrant=a.get("mem0_old_qdrant") if a["era"] == "v0.1.98" else None)
    if a.get("bm25"):
        from qdrant_client.models import SparseVector

        class HashingEncoder:  # stands in for fastembed's Qdrant/bm25 model: same output type, fixed hashing
            def embed(self, texts):
                for text in texts:
                    words = sorted({hash_word(w) for w in text.lower().split()})
                    yield types.SimpleNamespace(indices=Numbers(words), values=Numbers([1.0] * len(words)))

        module.Qdrant._get_bm25_encoder = lambda self: HashingEncoder()
        module.SparseVector = SparseVector
    # on_disk=True: v0.1.98 deletes the path at start otherwise (mem0 issue #4473)
    return module.Qdrant(collection_name=a["collection"], embedding_model_dims=a["dims"], path=a["path"], on_disk=True)


class Numbers(list):
    def tolist(self):
        return list(self)


def hash_word(word):
    h = 0
    for ch in word.encode():
        h = (h * 31 + ch) % 1000003
    return h


def listing(store, users, era):
    """Each user's memories as the store's own list(filters={"user_id": ...}) returns them, by id."""
    out = {}
    for user in users:
        result = store.list({"user_id": user}, 100000)
        rows = result[0] if isinstance(result, tuple) or (result and isinstance(result[0], list)) else result
        out[user] = sorted(({"id": str(r.id), "payload": r.payload} for r in rows), key=lambda r: r["id"])
    return out


def main():
    command, a = sys.argv[1], json.loads(sys.argv[2])
    if command == "qdrant-write":
        store = qdrant_store(a)
        batch = points(a["points"])
        for i in range(0, len(batch), 100):
            chunk = batch[i:i + 100]
            store.insert(vectors=[p["vector"] for p in chunk], payloads=[p["payload"] for p in chunk],
                         ids=[p["id"] for p in chunk])
        for p in points(a["updates"]) if a.get("updates") else []:
            store.update(vector_id=p["id"], vector=p["vector"], payload=p["payload"])
        for point_id in a.get("deletes", []):
            store.delete(vector_id=point_id)
        store.client.close()
    elif command == "qdrant-list":
        store = qdrant_store(a)
        json.dump(listing(store, a["users"], a["era"]), open(a["out"], "w"))
        store.client.close()
    elif command == "qdrant-search":
        store = qdrant_store(a)
        out = []
        for q in points(a["queries"]):
            if a["era"] == "v0.1.98":
                hits = store.search(query="", vectors=q["vector"], limit=a["k"])
            else:
                hits = store.search(query="", vectors=q["vector"], top_k=a["k"])
            out.append([str(h.id) for h in hits])
        json.dump(out, open(a["out"], "w"))
        store.client.close()
    elif command == "qdrant-vectors":  # each stored point's vector as Qdrant computes with it: numpy float32
        sys.path.insert(0, a["qdrant_client"])
        import numpy as np
        from qdrant_client.local.persistence import CollectionPersistence
        storage = CollectionPersistence(a["path"] + "/collection/" + a["collection"])
        out = {}
        for point in storage.load():
            v = point.vector[""] if isinstance(point.vector, dict) else point.vector
            out[str(point.id)] = np.array(v, dtype=np.float32).tolist()
        storage.close()
        json.dump(out, open(a["out"], "w"))
    elif command == "qdrant-inject":  # rows no mem0 writes, put in the store's table directly: what mig must refuse
        sys.path.insert(0, a["qdrant_client"])
        import os
        import pickle
        import sqlite3
        from qdrant_client.local.persistence import CollectionPersistence

        class Evil:
            def __reduce__(self):
                return (os.system, ("touch " + a["marker"],))

        db = sqlite3.connect(a["path"] + "/collection/" + a["collection"] + "/storage.sqlite")
        key, good = db.execute("SELECT id, point FROM points ORDER BY id LIMIT 1").fetchone()
        db.execute("INSERT INTO points VALUES (?, ?)", (CollectionPersistence.encode_key(a["evil_id"]), pickle.dumps(Evil())))
        db.execute("INSERT INTO points VALUES (?, ?)", (CollectionPersistence.encode_key(a["cut_id"]), good[: len(good) // 2]))
        db.commit()
        db.close()
    elif command == "qdrant-verify":  # bench/qdrant's generated store, read back by the real client
        sys.path.insert(0, a["qdrant_client"])
        from qdrant_client import QdrantClient
        from qdrant_client.local.persistence import CollectionPersistence
        expected = {p["id"]: p for p in points(a["points"])}
        storage = CollectionPersistence(a["path"] + "/collection/mem0")
        seen = 0
        for point in storage.load():
            want = expected[point.id]
            assert point.vector == want["vector"], point.id
            assert point.payload == want["payload"], point.id
            seen += 1
        storage.close()
        assert seen == len(expected), (seen, len(expected))
        client = QdrantClient(path=a["path"])  # the whole client: meta.json, the collection, its points
        assert client.count("mem0").count == seen
        rows, _ = client.scroll("mem0", limit=seen, with_payload=True)
        assert {r.id: r.payload for r in rows} == {k: v["payload"] for k, v in expected.items()}
        client.close()
        print("verified %d points" % seen)
    elif command == "qdrant-hold":  # a running application: the store open (and locked) until this process is killed
        sys.path.insert(0, a["qdrant_client"])
        import time
        from qdrant_client import QdrantClient
        client = QdrantClient(path=a["path"])
        print("open", flush=True)
        time.sleep(600)
    elif command in ("pg-list", "pg-search"):
        sys.path.insert(0, a["mem0"])
        from mem0.vector_stores.pgvector import PGVector
        store = PGVector(dbname=None, collection_name=a["collection"], embedding_model_dims=a["dims"], user=None,
                         password=None, host=None, port=None, diskann=False, hnsw=True, connection_string=a["dsn"])
        if command == "pg-list":
            json.dump(listing(store, a["users"], "pg"), open(a["out"], "w"))
        else:
            out = []
            for q in points(a["queries"]):
                out.append([str(h.id) for h in store.search(query="", vectors=q["vector"], top_k=a["k"])])
            json.dump(out, open(a["out"], "w"))
    elif command == "faiss-evil-docstore":  # a docstore pickle that would run a command if Python's pickle read it
        import os
        import pickle

        class Evil:
            def __reduce__(self):
                return (os.system, ("touch " + a["marker"],))

        with open(a["path"] + "/" + a["collection"] + ".pkl", "wb") as f:
            pickle.dump(({"00000000-0000-0000-0000-000000000001": {"data": Evil()}}, {0: "00000000-0000-0000-0000-000000000001"}), f)
    elif command.startswith("faiss-"):
        module = load_mem0(a["mem0"], faiss_py=a["mem0_faiss"])
        store = module.FAISS(collection_name=a["collection"], path=a["path"], distance_strategy=a["distance"],
                             embedding_model_dims=a["dims"])
        if command == "faiss-write":
            batch = points(a["points"])
            for i in range(0, len(batch), 100):
                chunk = batch[i:i + 100]
                store.insert(vectors=[p["vector"] for p in chunk], payloads=[p["payload"] for p in chunk],
                             ids=[p["id"] for p in chunk])
            for point_id in a.get("deletes", []):
                store.delete(vector_id=point_id)
            for p in points(a["updates"]) if a.get("updates") else []:  # after the deletes: mem0 < 1.0.9 then mis-numbers
                store.update(vector_id=p["id"], vector=p["vector"], payload=p["payload"])
        elif command == "faiss-rows":  # each memory's vector as mem0's own index and index_to_id give it
            out = {}
            for row, memory_id in store.index_to_id.items():
                if 0 <= row < store.index.ntotal and memory_id in store.docstore:
                    out[memory_id] = store.index.reconstruct(int(row)).tolist()
            json.dump({"vectors": out, "ntotal": int(store.index.ntotal), "docstore": len(store.docstore)}, open(a["out"], "w"))
        elif command == "faiss-list":
            json.dump(listing(store, a["users"], "faiss"), open(a["out"], "w"))
        else:
            out = []
            for q in points(a["queries"]):
                try:
                    hits = store.search(query="", vectors=q["vector"], top_k=a["k"])
                except TypeError:  # before 2.0 the count was called limit
                    hits = store.search(query="", vectors=q["vector"], limit=a["k"])
                out.append([str(h.id) for h in hits])
            json.dump(out, open(a["out"], "w"))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
