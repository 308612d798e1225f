// Probes for the external tools the service depends on.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ffmpegVersion(ffmpegPath: string): Promise<string | null> {
  try {
    const { stdout } = await run(ffmpegPath, ['-hide_banner', '-version'], { timeout: 5_000 });
    const match = /ffmpeg version (\S+)/.exec(stdout);
    return match ? match[1] : 'unknown';
  } catch {
    return null;
  }
}
