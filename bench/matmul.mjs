// tf.matMul throughput in Node: 'cwasm' (simd, and threads with 2 workers)
// against tfjs-backend-cpu. Each backend variant runs in its own child process
// (a cwasm variant can be chosen only once per process).
//
//   bash scripts/build.sh          # dist/ must be current
//   node bench/matmul.mjs [--runs N] [--no-threads] [--out FILE] [--dist DIR]
//
// --dist DIR loads tfjs-backend-cwasm.node.mjs from DIR instead of dist/ (to
// compare a saved build).
// Method: per shape, warm up (>= 3 calls and >= 0.3 s), then time N calls of
// tf.matMul(a, b).dataSync() and report the median; GFLOPS = 2*M*N*K / t.
// The machine may be shared: the process CPU time of each call
// (process.cpuUsage) is recorded too; on a busy machine its median is the
// better measure of single-thread kernel speed (for the threaded variant it
// sums both threads, so only wall time is meaningful there).
// B is the same tensor object in every timed call, so cwasm packs it once and
// reuses the packed panels (backend.packedB: the weight-packing cache). The
// "fresh B" column makes a new B tensor before every call (creation untimed),
// so the timed call includes packing B.
// Prints a markdown table and writes bench/results/matmul.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { randomValues } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

const SHAPES = [[256, 256, 256], [1024, 1024, 1024], [1, 1024, 1024]]; // [M, N, K]

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/** Child: times every shape on one backend / variant, prints one JSON line. */
async function child(backendName, variant, threads, runs, shapes, dist) {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const cwasm = await import(path.join(dist, 'tfjs-backend-cwasm.node.mjs'));
  if (backendName === 'cwasm') {
    cwasm.setVariant(variant);
    if (threads) cwasm.setThreadsCount(threads);
  }
  await tf.setBackend(backendName);
  await tf.ready();
  const now = () => performance.now();
  const cpuMs = []; // process CPU time of each timed call, in order
  const time1 = (a, b) => {
    const u0 = process.cpuUsage();
    const t0 = now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const t = now() - t0;
    const u = process.cpuUsage(u0);
    cpuMs.push((u.user + u.system) / 1000);
    c.dispose();
    return t;
  };
  const results = [];
  for (const [M, N, K] of shapes) {
    const flops = 2 * M * N * K;
    // fewer runs where one call is long (cpu at 1024)
    const n = Math.max(3, Math.min(runs, Math.round(runs * 0.5e9 / flops / (backendName === 'cpu' ? 20 : 1)) || runs));
    const a = tf.tensor2d(randomValues(M * K, 1), [M, K]);
    const bData = randomValues(K * N, 2);
    const b = tf.tensor2d(bData, [K, N]);
    for (let i = 0, t0 = now(); i < 3 || now() - t0 < 300; i++) time1(a, b);
    const cached = [];
    cpuMs.length = 0;
    for (let i = 0; i < n; i++) cached.push(time1(a, b));
    const cachedCpu = cpuMs.slice();
    const fresh = [];
    cpuMs.length = 0;
    if (backendName === 'cwasm') {
      for (let i = 0; i < n; i++) {
        const bf = tf.tensor2d(bData, [K, N]);
        fresh.push(time1(a, bf));
        bf.dispose();
      }
    }
    const freshCpu = cpuMs.slice();
    a.dispose();
    b.dispose();
    const ms = median(cached);
    const freshMs = fresh.length ? median(fresh) : null;
    results.push({
      M, N, K, runs: n, ms, gflops: flops / ms * 1e-6,
      freshBMs: freshMs, freshBGflops: freshMs ? flops / freshMs * 1e-6 : null,
      minMs: Math.min(...cached),
      cpuMs: median(cachedCpu), cpuGflops: flops / median(cachedCpu) * 1e-6,
      freshBCpuMs: freshCpu.length ? median(freshCpu) : null,
    });
  }
  const info = backendName === 'cwasm' ? cwasm.getBackendInfo() : { variant: 'cpu', threads: 1 };
  process.stdout.write(JSON.stringify({ backend: backendName, info, results }) + '\n');
}

function runChild(backendName, variant, threads, runs, shapes, dist) {
  const childArgs = [fileURLToPath(import.meta.url), '--child', backendName, variant || '-',
    String(threads || 0), String(runs), JSON.stringify(shapes), dist];
  const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' };
  const r = spawnSync(process.execPath, childArgs, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    throw new Error(`bench child ${backendName}/${variant} failed (status ${r.status}):\n${r.stderr}`);
  }
  const line = r.stdout.trim().split('\n').pop();
  return JSON.parse(line);
}

async function main() {
  const runs = Number(opt('--runs', 15));
  const withThreads = !args.includes('--no-threads');
  const outFile = path.resolve(root, opt('--out', 'bench/results/matmul.json'));
  const dist = path.resolve(opt('--dist', path.join(root, 'dist')));
  if (!fs.existsSync(path.join(dist, 'tfjs-backend-cwasm.node.mjs'))) {
    throw new Error(`${dist} has no tfjs-backend-cwasm.node.mjs: run \`bash scripts/build.sh\` first`);
  }
  const configs = [
    { label: 'cwasm simd (1 thread)', backend: 'cwasm', variant: 'simd', threads: 0, shapes: SHAPES },
  ];
  if (withThreads) {
    configs.push({ label: 'cwasm threads (2)', backend: 'cwasm', variant: 'threads', threads: 2, shapes: SHAPES });
  }
  configs.push({ label: 'tfjs-backend-cpu', backend: 'cpu', variant: null, threads: 0, shapes: [[256, 256, 256]] });

  const out = [];
  for (const c of configs) {
    process.stderr.write(`running ${c.label} ...\n`);
    const r = runChild(c.backend, c.variant, c.threads, runs, c.shapes, dist);
    out.push({ label: c.label, ...r });
  }

  const cpu256 = out.find((o) => o.backend === 'cpu').results[0];
  const lines = [];
  lines.push('| backend | shape (MxNxK) | median ms | GFLOPS | CPU-time GFLOPS | fresh B ms | fresh B GFLOPS | x cpu (256) |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
  const f = (x, d) => (x == null ? '-' : x.toFixed(d));
  for (const o of out) {
    for (const r of o.results) {
      const ratio = r.M === 256 && r.N === 256 && r.K === 256 ? f(cpu256.ms / r.ms, 1) : '';
      const cpuG = o.info.threads > 1 ? '-' : f(r.cpuGflops, 2);
      lines.push(`| ${o.label} | ${r.M}x${r.N}x${r.K} | ${f(r.ms, 3)} | ${f(r.gflops, 2)} | ${cpuG} | ` +
        `${f(r.freshBMs, 3)} | ${f(r.freshBGflops, 2)} | ${ratio} |`);
    }
  }
  const note = 'B is the same tensor in every timed call, so cwasm packs it once and reuses ' +
    'the packed panels (weight-packing cache); "fresh B" creates a new B tensor before each ' +
    'call (creation not timed), so packing B is included. Median of N runs after warm-up; ' +
    'each call is timed through dataSync(). CPU-time GFLOPS uses the process CPU time of ' +
    'each call (median), robust to a busy machine; single-thread rows only.';
  console.log(lines.join('\n'));
  console.log(`\n${note}`);
  const doc = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0] && os.cpus()[0].model,
    loadavg: os.loadavg(),
    dist: path.relative(root, dist) || dist,
    method: `median of ${runs} runs (fewer for long calls) after >= 3 calls / 0.3 s warm-up; ` +
      'GFLOPS = 2*M*N*K / t',
    note,
    results: out,
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(doc, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(root, outFile)}`);
}

if (args[0] === '--child') {
  const [, backendName, variant, threads, runs, shapes, dist] = args;
  await child(backendName, variant === '-' ? null : variant, Number(threads), Number(runs),
      JSON.parse(shapes), dist);
  process.exit(0); // threaded variant: workers would keep the process alive
} else {
  await main();
}
