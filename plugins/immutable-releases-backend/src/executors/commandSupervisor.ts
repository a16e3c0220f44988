/**
 * A deploy command must not outlive the backend that started it: after a
 * crash, another replica may start the next deployment of the environment,
 * and two commands would then deploy at once.
 *
 * POSIX has no portable "die with your parent", so each command runs under
 * this small Node.js program, started in a process group of its own with a
 * lifeline pipe on file descriptor 3. The backend never writes to the
 * lifeline; when the backend dies, however it dies, the operating system
 * closes it, and the supervisor kills its whole process group: the command and
 * everything the command started. Otherwise the supervisor is transparent:
 * the command inherits its stdin, stdout and stderr, and the supervisor exits
 * as the command did. If the command cannot be started, the supervisor writes
 * `{"startError": "…"}` on the lifeline and exits 127.
 *
 * Run as `node -e SUPERVISOR_SOURCE program arg…`.
 */
export const SUPERVISOR_SOURCE = `
const { spawn } = require('node:child_process');
const net = require('node:net');
const [program, ...args] = process.argv.slice(1);
const lifeline = new net.Socket({ fd: 3, readable: true, writable: true });
lifeline.on('error', () => {});
const child = spawn(program, args, { stdio: ['inherit', 'inherit', 'inherit', 'ignore'] });
child.on('error', error => {
  lifeline.end(JSON.stringify({ startError: error.message }), () => process.exit(127));
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.kill(process.pid, signal);
  } else {
    process.exit(code);
  }
});
lifeline.on('close', () => {
  try {
    process.kill(0, 'SIGKILL');
  } catch {
    process.exit(1);
  }
});
lifeline.resume();
`;
