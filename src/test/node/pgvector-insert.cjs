// The TypeScript SDK's own insert loop, for mig's vector benchmark (bench/vectors): mem0ai's PGVector
// (npm 3.3.1) inserting memories one at a time, as Memory.add does for each memory it keeps.
// usage: node pgvector-insert.cjs '{"pg":{dbname,user,password,host,port}, "collection", "dims", "count", "seed"}'
//   -> {"count", "ms"}   (the loop only: the table is created by initialize() before the clock starts)
process.env.MEM0_TELEMETRY = "false";
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
const { PGVector } = require("mem0ai/oss");
const { randomUUID } = require("crypto");

async function main() {
  const a = JSON.parse(process.argv[2]);
  const store = new PGVector({ collectionName: a.collection, dimension: a.dims, embeddingModelDims: a.dims, dbname: a.pg.dbname,
    user: a.pg.user, password: a.pg.password, host: a.pg.host, port: a.pg.port, hnsw: false });
  await store.initialize();
  let seed = a.seed || 1;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  const start = process.hrtime.bigint();
  for (let i = 0; i < a.count; i++) {
    const v = new Array(a.dims);
    for (let d = 0; d < a.dims; d++) v[d] = Math.fround(random());
    await store.insert([v], [randomUUID()], [{ data: "memory " + i, user_id: "u" + (i % 100), hash: "h" + i,
      createdAt: new Date(1735689600000 + i * 1000).toISOString() }]);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ count: a.count, ms }));
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
