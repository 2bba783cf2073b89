/**
 * Runs a server program until Ctrl-C or SIGTERM (`npm start`, the sandbox on
 * its own, the e2e stack): `start` starts it and says where it is; a signal
 * closes it, once, and ends the process; a start that fails prints its
 * message and exits 1.
 */
export async function runUntilStopped(start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  try {
    const server = await start();
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await server.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
