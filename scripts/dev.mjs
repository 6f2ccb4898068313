// `npm start`: wrangler dev, plus the Cron Trigger every minute. On Cloudflare the
// cron runs by itself; `wrangler dev` never fires it (Miniflare only exposes it at
// /cdn-cgi/local/scheduled). Oracle's dispatcher, and every app's periodic work, need
// it to run locally too, so this calls that endpoint at the start of every minute, as
// the edge would. Arguments are passed to `wrangler dev` (e.g. `npm start -- --port 8788`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portArg = args.findIndex((a) => a === '--port' || a.startsWith('--port='));
const port = portArg === -1 ? 8787 : Number(args[portArg].includes('=') ? args[portArg].split('=')[1] : args[portArg + 1]);

// wrangler loads only the [secrets] it requires from .dev.vars: LOCAL_DEV (a developer's
// own instance, see README "Accounts") goes in as a var.
const devVars = join(root, '.dev.vars');
const localDev = existsSync(devVars) && /^LOCAL_DEV=true$/m.test(readFileSync(devVars, 'utf8'));
const wrangler = spawn(join(root, 'node_modules', '.bin', 'wrangler'), ['dev', ...(localDev ? ['--var', 'LOCAL_DEV:true'] : []), ...args], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wrangler.kill(signal));

let announced = false;
async function tick() {
  const scheduledTime = Math.floor(Date.now() / 60_000) * 60_000;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${scheduledTime}`);
    await res.body?.cancel();
    if (!announced && res.ok) {
      announced = true;
      console.log(`[dev] the cron (* * * * *) runs every minute here, as on Cloudflare`);
    }
  } catch {
    // Not up yet, or stopping.
  }
}

// At the start of every minute (the first as soon as the server answers).
const first = setInterval(() => {
  if (announced) clearInterval(first);
  else tick();
}, 2_000);
setTimeout(
  () => {
    tick();
    setInterval(tick, 60_000);
  },
  60_000 - (Date.now() % 60_000),
);

wrangler.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
