// Serves the examples for a person: the repository root, cross-origin
// isolated (COOP/COEP) so the threaded variant runs, on 127.0.0.1:8080
// (or --port N). Bundles the example pages first.
import { bundleExamples, EXAMPLES } from './bundle-examples.mjs';
import { startServer } from '../test/browser/server.mjs';

const i = process.argv.indexOf('--port');
const port = i >= 0 ? Number(process.argv[i + 1]) : 8080;
await bundleExamples();
const server = await startServer({ port });
console.log('Open in a browser (Ctrl-C stops the server):');
for (const name of EXAMPLES) console.log(`  ${server.origin}/examples/${name}/index.html`);
