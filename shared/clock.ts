/**
 * The one clock. Every handler, repository call, cron job and queue job reads the
 * time through `now()`, so a test moves time for all of them the same way
 * (`vi.useFakeTimers({ toFake: ['Date'] })` + `vi.setSystemTime`), in every app.
 */
export const now = (): number => Date.now();
