// Cron Triggers for the local Worker. `wrangler dev` never fires them ("Scheduled Workers are not
// automatically triggered during local development"), so the dev stack does: it reads the
// schedule from wrangler.toml ([triggers] crons, UTC like Cloudflare) and, at each time, asks
// wrangler dev to run the scheduled handler through Miniflare's trigger endpoint,
//   GET <api>/cdn-cgi/local/scheduled?cron=<expression>&time=<epoch ms>&format=json
// which is always on under wrangler dev and passes `time` on as controller.scheduledTime (the
// older `/__scheduled` needs --test-scheduled and ignores `time`). The test profile does not run
// it: tests call the scheduled handler themselves, and a sweep in the middle of a test would race.
import { CronExpressionParser } from 'cron-parser';

/** The crons of wrangler.toml's [triggers], or CREFANS_DEV_CRONS (`;`-separated) when set. */
export async function readCrons(
  configPath: string,
  override = process.env.CREFANS_DEV_CRONS,
): Promise<string[]> {
  if (override?.trim()) {
    return override
      .split(';')
      .map((c) => c.trim())
      .filter(Boolean);
  }
  // Wrangler's own reader (loaded only here: it is large): the schedule is read as a deploy does.
  const { unstable_readConfig } = await import('wrangler');
  return [...(unstable_readConfig({ config: configPath }).triggers.crons ?? [])];
}

/** The first time after `after` that the expression names, in UTC (Cloudflare's crons are UTC). */
export function nextFire(cron: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
}

export function scheduledUrl(apiUrl: string, cron: string, time: Date): string {
  const query = new URLSearchParams({ cron, time: String(time.getTime()), format: 'json' });
  return `${apiUrl}/cdn-cgi/local/scheduled?${query}`;
}

export interface FireResult {
  cron: string;
  time: Date;
  outcome: string;
}

/** Runs the Worker's scheduled handler once for `cron` at `time`; outcome 'ok' or the failure. */
export async function fireCron(apiUrl: string, cron: string, time: Date): Promise<FireResult> {
  const res = await fetch(scheduledUrl(apiUrl, cron, time), {
    signal: AbortSignal.timeout(300_000),
  });
  const text = await res.text();
  let outcome = `HTTP ${res.status}: ${text.slice(0, 200)}`;
  try {
    outcome = (JSON.parse(text) as { outcome: string }).outcome;
  } catch {
    // not JSON: keep the status and the start of the body
  }
  return { cron, time, outcome };
}

// setTimeout holds at most 2^31-1 ms (~24.8 days); a monthly cron waits in steps.
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * Fires every cron at its times until stopped. Each cron runs one at a time (a run that outlasts
 * its interval is followed by the next time after it ends, not by a pile-up); times are whole
 * schedule times, as in production.
 */
export function startCronScheduler(
  apiUrl: string,
  crons: string[],
  log: (line: string) => void,
): { stop: () => void } {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const wait = (until: Date, then: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (stopped) return;
        if (Date.now() < until.getTime()) wait(until, then);
        else then();
      },
      Math.min(Math.max(until.getTime() - Date.now(), 0), MAX_WAIT_MS),
    );
    timers.add(timer);
  };
  const schedule = (cron: string) => {
    const time = nextFire(cron, new Date());
    wait(time, () => {
      fireCron(apiUrl, cron, time)
        .then((r) => log(`cron "${cron}" at ${time.toISOString()}: ${r.outcome}`))
        .catch((err: Error) =>
          log(`cron "${cron}" at ${time.toISOString()} failed: ${err.message}`),
        )
        .finally(() => {
          if (!stopped) schedule(cron);
        });
    });
  };
  // An invalid expression throws here, at start.
  for (const cron of crons) schedule(cron);
  return {
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
