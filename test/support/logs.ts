/**
 * The one way tests read what the Worker logged: every log line is one JSON object
 * on console.log (shared/http/logging.ts).
 *
 *   const logs = captureLogs();          // start listening
 *   await client.fetch(…);
 *   logs.lines()                          // every JSON line since, parsed
 *   logs.requestLine(res)                 // the request line of that response
 *   logs.audits('paste.')                 // audit events whose name starts so
 *   logs.stop();                          // (also undone by vi.restoreAllMocks)
 *
 * `logged(send)` does all of it for one request.
 */
import { vi } from 'vitest';

export type LogLine = { level: string; msg: string; request_id?: string; event?: string } & Record<string, unknown>;

export function captureLogs() {
  const spy = vi.spyOn(console, 'log');
  const raw = () => spy.mock.calls.map((args) => String(args[0]));
  const lines = () =>
    raw()
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  return {
    /** Every line as written (for "no line contains this secret" checks). */
    raw,
    lines,
    requestLine(res: Response): LogLine | undefined {
      const id = res.headers.get('x-request-id');
      return lines().find((l) => l.msg === 'request' && l.request_id === id);
    },
    /** Audit events (`msg: 'audit'`), optionally those whose event starts with `prefix`. */
    audits(prefix = ''): LogLine[] {
      return lines().filter((l) => l.msg === 'audit' && typeof l.event === 'string' && l.event.startsWith(prefix));
    },
    clear: () => spy.mockClear(),
    stop: () => spy.mockRestore(),
  };
}

/** Runs `send` and returns its response with every JSON line logged meanwhile, and its request line. */
export async function logged(send: () => Promise<Response>): Promise<{ res: Response; lines: LogLine[]; line: LogLine }> {
  const logs = captureLogs();
  try {
    const res = await send();
    const line = logs.requestLine(res);
    if (!line) throw new Error(`no request line for ${res.url || 'the request'}`);
    return { res, lines: logs.lines(), line };
  } finally {
    logs.stop();
  }
}
