"""Pickles for mig's unpickler tests, made by Python's own pickle module (Debian's /usr/bin/python3).

usage: pickle_fixtures.py QDRANT_CLIENT_DIR OUT.json
Writes {name: {"pickle": base64, "expect": the value as JSON, or null for a pickle mig must refuse}}.
- pydantic1-*: qdrant-client's own PointStruct/SparseVector models, pickled with the pydantic 1 that is here
  (Debian's python3-pydantic), exactly as qdrant-client's local persistence pickles a point.
- pydantic2-*: a PointStruct whose pickled form is what pydantic 2's BaseModel makes: pydantic 2 defines
  __getstate__ (pydantic/main.py: __dict__, __pydantic_extra__, __pydantic_fields_set__,
  __pydantic_private__) and no __reduce__, so object.__reduce_ex__ pickles class, empty args and that state;
  a class of the same module and name with the same __getstate__ gives the same bytes.
- evil-*: pickles that would run a command, load another class, or are cut short.
"""
import base64
import datetime
import json
import os
import pickle
import sys
import types
import uuid

sys.path.insert(0, sys.argv[1])
from qdrant_client.http import models  # noqa: E402

out = {}


def add(name, value, expect, protocol=None):
    data = pickle.dumps(value) if protocol is None else pickle.dumps(value, protocol=protocol)
    out[name] = {"pickle": base64.b64encode(data).decode(), "expect": expect}


pid = "3f0b5a7e-0d1c-4a7e-9a53-2b7d2b0c9f11"
payload = {"data": "likes tea", "hash": "5d41", "user_id": "alice", "created_at": "2025-03-01T10:00:00.123456-08:00",
           "metadata": {"n": 2, "tags": ["a", "b"], "ok": True, "none": None}, "big": 2 ** 70, "half": 0.1}
vector = [0.1, -2.5, 1e-40, 3.4028234663852886e38, -0.0, 1.0000000596046448]
add("pydantic1-unnamed", models.PointStruct(id=pid, vector=vector, payload=payload),
    {"id": pid, "vector": vector, "payload": payload})
sparse = models.SparseVector(indices=[3, 17], values=[0.5, 1.25])
add("pydantic1-named-bm25", models.PointStruct(id=pid, vector={"": vector, "bm25": sparse}, payload=payload),
    {"id": pid, "vector": {"": vector, "bm25": {"indices": [3, 17], "values": [0.5, 1.25]}}, "payload": payload})
add("pydantic1-int-id", models.PointStruct(id=42, vector=vector, payload={}), {"id": 42, "vector": vector, "payload": {}})
add("pydantic1-protocol2", models.PointStruct(id=pid, vector=vector, payload=payload),
    {"id": pid, "vector": vector, "payload": payload}, protocol=2)
shared = [0.25, 0.5]
odd = {"mixed": [1.5, 2.5, 3, 4.5], "one": [0.5], "shared_a": shared, "shared_b": shared, "empty": [],
       "floats_then_list": [1.0, [2.0, 3.0]]}
add("pydantic1-odd-lists", models.PointStruct(id=pid, vector=vector, payload=odd), {"id": pid, "vector": vector, "payload": odd})
add("key-str", pid, pid)
add("key-int", 42, 42)
add("uuid-object", uuid.UUID(pid), pid)

# pydantic 2's pickled form, as pydantic/main.py BaseModel.__getstate__ gives it
mod = types.ModuleType("qdrant_client.http.models.models")
sys.modules["qdrant_client.http.models.models"] = mod


class PointStruct:
    def __init__(self, **fields):
        self.__dict__.update(fields)
        self.__pydantic_fields_set__ = set(fields)

    def __getstate__(self):
        d = {k: v for k, v in self.__dict__.items() if not k.startswith("__pydantic")}
        return {"__dict__": d, "__pydantic_extra__": None, "__pydantic_fields_set__": set(d), "__pydantic_private__": None}


class SparseVector(PointStruct):
    pass


PointStruct.__module__ = SparseVector.__module__ = mod.__name__
mod.PointStruct, mod.SparseVector = PointStruct, SparseVector
add("pydantic2-unnamed", PointStruct(id=pid, vector=vector, payload=payload), {"id": pid, "vector": vector, "payload": payload})
add("pydantic2-named-bm25", PointStruct(id=pid, vector={"": vector, "bm25": SparseVector(indices=[3], values=[2.0])},
                                        payload=payload),
    {"id": pid, "vector": {"": vector, "bm25": {"indices": [3], "values": [2.0]}}, "payload": payload})


class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/mig-pickle-was-run",))


add("evil-os-system", Evil(), None)
add("evil-datetime-in-payload", {"payload": {"at": datetime.datetime(2025, 1, 1)}}, None)
good = base64.b64decode(out["pydantic1-unnamed"]["pickle"])
out["evil-truncated"] = {"pickle": base64.b64encode(good[: len(good) // 2]).decode(), "expect": None}
out["evil-eval-protocol0"] = {"pickle": base64.b64encode(b"cbuiltins\neval\n(S'print(1)'\ntR.").decode(), "expect": None}
json.dump(out, open(sys.argv[2], "w"), indent=1)
