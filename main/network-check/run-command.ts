// Runs a read-only system command (ufw, firewall-cmd, socketfilterfw) for the network
// check: bounded in time and output, in the C locale so its words are the ones parsed.
import { execFile } from 'node:child_process';

export type RunCommand = (file: string, args: string[]) => Promise<string>;

export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 5000, maxBuffer: 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stderr: String(stderr) })) : resolve(String(stdout)),
    );
  });
