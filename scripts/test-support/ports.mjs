// Ports for tests: one free to listen on, or one where nothing answers (the same thing: a port
// that was bound and released a moment ago is closed until someone binds it again).
import net from 'node:net';

/** A loopback TCP port that was free a moment ago (bound to port 0, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
