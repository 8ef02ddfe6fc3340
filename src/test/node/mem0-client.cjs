// The real mem0 TypeScript SDK as a command-line writer and reader for mig's tests.
// usage: node mem0-client.cjs <v2|v3> <command> '<json args>'   -> one JSON document on stdout
// Embeddings are a deterministic 8-dim stub (no network); telemetry is off (MEM0_TELEMETRY=false).
// Everything else - payload keys, timestamps, history rows, SQL - is the SDK's own code.
process.env.MEM0_TELEMETRY = "false";
const sdk = process.argv[2];
const command = process.argv[3];
const args = JSON.parse(process.argv[4] || "{}");
// mem0ai 2.4.6 requires every optional provider peer (ollama, groq, azure, ...) when it loads; those
// providers are never used here, so a missing one resolves to an empty module instead of a 300 MB install.
const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  try {
    return resolve.call(this, request, ...rest);
  } catch (e) {
    if (e.code === "MODULE_NOT_FOUND" && !request.startsWith(".") && !request.startsWith("/")) return require.resolve("./empty-peer.cjs");
    throw e;
  }
};
const { Memory, PGVector } = require(sdk === "v2" ? "mem0ai-v2/oss" : "mem0ai/oss");
if (sdk === "v2") {
  // mem0ai 2.4.6's PGVector starts initialize() in its constructor and Memory awaits initialize() again,
  // which reconnects a connected pg Client and fails. One shared promise fixes that; no written value changes.
  const initialize = PGVector.prototype.initialize;
  PGVector.prototype.initialize = function () {
    if (!this.initOnce) this.initOnce = initialize.call(this);
    return this.initOnce;
  };
}

const DIMS = 8;
function vector(text) {
  const v = new Array(DIMS).fill(0);
  for (let i = 0; i < text.length; i++) v[i % DIMS] += text.charCodeAt(i) / 1000;
  return v;
}
const stubEmbedder = { embed: async (t) => vector(t), embedBatch: async (ts) => ts.map(vector) };

function memory() {
  const vectorStore = args.pg
    ? { provider: "pgvector", config: { collectionName: args.collection || "memories", dimension: DIMS,
        embeddingModelDims: DIMS, dbname: args.pg.dbname, user: args.pg.user, password: args.pg.password,
        host: args.pg.host, port: args.pg.port, hnsw: true } }
    : { provider: "memory", config: { collectionName: "memories", dimension: DIMS, dbPath: args.vectorDb } };
  const config = {
    version: "v1.1",
    embedder: { provider: "openai", config: { apiKey: "sk-not-used", embeddingDims: DIMS } },
    llm: { provider: "openai", config: { apiKey: "sk-not-used" } },
    vectorStore,
    historyStore: { provider: "sqlite", config: { historyDbPath: args.historyDb } },
    historyDbPath: args.historyDb,
    disableHistory: !args.historyDb,
  };
  const m = new Memory(config);
  m.embedder = stubEmbedder;
  return m;
}

function userOf(u) {
  return sdk === "v2" ? { userId: u } : { filters: { user_id: u } };
}

async function main() {
  const m = memory();
  if (m._initPromise) await m._initPromise;
  switch (command) {
    // {user, texts:[...], updates:{index:text}, deletes:[index]} -> {ids:[...]}
    case "write": {
      const ids = [];
      for (const t of args.texts) {
        const r = await m.add([{ role: "user", content: t }], { userId: args.user, infer: false });
        const results = r.results || r;
        ids.push(results[0].id);
      }
      for (const [i, t] of Object.entries(args.updates || {})) await m.update(ids[+i], sdk === "v2" ? t : { text: t });
      for (const i of args.deletes || []) await m.delete(ids[i]);
      return { ids };
    }
    case "getAll": {
      const r = await m.getAll({ ...userOf(args.user), topK: args.limit || 1000, limit: args.limit || 1000 });
      return (r.results || r).map((x) => ({ id: x.id, memory: x.memory, hash: x.hash, createdAt: x.createdAt,
        updatedAt: x.updatedAt, user_id: x.user_id || x.userId || null }));
    }
    case "get": return await m.get(args.id);
    case "history": return await m.history(args.id);
    // {queries:[text], user, topK} -> per query [{id, score}]: the SDK's own vector store search (nearest neighbours)
    case "neighbours": {
      const out = [];
      for (const q of args.queries) {
        const r = await m.vectorStore.search(vector(q), args.topK || 5, args.user ? { user_id: args.user } : undefined);
        out.push(r.map((x) => ({ id: x.id, score: x.score })));
      }
      return out;
    }
    case "update": return await m.update(args.id, sdk === "v2" ? args.text : { text: args.text });
    case "delete": return await m.delete(args.id);
    default: throw new Error("unknown command " + command);
  }
}

main().then((out) => { process.stdout.write(JSON.stringify(out) + "\n"); process.exit(0); },
  (e) => { process.stderr.write((e && e.stack) || String(e)); process.exit(2); });
