import * as fs from 'fs';

import { INFO_FILE } from './global-setup';

/** Stop the launcher (it stops JupyterLab and the sandbox) and wait for it to go. */
export default async function globalTeardown(): Promise<void> {
  const pidFile = INFO_FILE + '.pid';
  if (!fs.existsSync(pidFile)) {
    return;
  }
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  fs.rmSync(pidFile, { force: true });
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  process.kill(pid, 'SIGKILL');
}
