import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where the launcher writes the URLs of the running JupyterLab and SandboxHub. */
export const INFO_FILE = path.resolve(__dirname, '..', 'test-artifacts', 'ui-server.json');

/**
 * Start ui-tests/launch.py (a SandboxHub + JupyterLab on free ports) and wait for its info file.
 */
export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(path.dirname(INFO_FILE), { recursive: true });
  fs.rmSync(INFO_FILE, { force: true });
  const python = process.env.PYTHON || path.resolve(__dirname, '..', '.venv', 'bin', 'python');
  const log = fs.openSync(path.resolve(path.dirname(INFO_FILE), 'launch.log'), 'w');
  const child = spawn(python, [path.resolve(__dirname, 'launch.py'), INFO_FILE], {
    stdio: ['ignore', log, log],
    detached: true
  });
  child.unref();
  fs.writeFileSync(INFO_FILE + '.pid', String(child.pid));
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(INFO_FILE)) {
    if (child.exitCode !== null) {
      throw new Error(`launch.py exited with ${child.exitCode}: see test-artifacts/launch.log`);
    }
    if (Date.now() > deadline) {
      throw new Error('JupyterLab did not start in 180 s: see test-artifacts/launch.log');
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
