/**
 * Can this machine install Debian's packages by itself (root on Linux, with
 * apt-get)? The test command installs Chromium (browser.ts) and nginx
 * (nginx.ts) this way where it can, and says what to do where it cannot.
 */
import { execFileSync } from 'node:child_process';

export function canApt(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
