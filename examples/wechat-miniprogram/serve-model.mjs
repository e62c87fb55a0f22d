// Serves the built model/ folder (node scripts/build-wechat.mjs) for the
// mini-program's one-time download: http://127.0.0.1:8090/centernet.json
// and centernet.bin. --host ADDRESS (e.g. this machine's LAN address, for
// a phone) and --port N change where; miniprogram/config.js must match.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'model');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const host = arg('--host', '127.0.0.1');
const port = Number(arg('--port', 8090));

if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: run node scripts/build-wechat.mjs first`);
const files = new Set(fs.readdirSync(dir));
http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
  if (req.method !== 'GET' || !files.has(name)) {
    res.writeHead(404).end();
    return;
  }
  const type = name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': fs.statSync(path.join(dir, name)).size });
  fs.createReadStream(path.join(dir, name)).pipe(res);
}).listen(port, host, () => {
  console.log(`serving ${[...files].join(', ')} at http://${host}:${port}/ (Ctrl-C stops)`);
});
