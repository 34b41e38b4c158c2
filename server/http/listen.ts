// Listening that fails when it fails. express 5's app.listen(port, host, cb) hands a bind error to cb, so
// a callback that only resolves starts a process that listens on nothing (a taken PORT looked like a start).
import http, { type RequestListener, type Server } from 'node:http';

export class ListenError extends Error {
  constructor(
    readonly code: string | undefined,
    readonly port: number,
    readonly host: string,
    cause: Error,
  ) {
    super(code === 'EADDRINUSE' ? `cannot listen on ${host}:${port}: the port is already in use (another quanzu, or another program; set PORT)` : `cannot listen on ${host}:${port}: ${cause.message}`, { cause });
    this.name = 'ListenError';
  }
}

/** A server for the handler, listening on host:port (0: any free port) once the promise resolves. */
export function listenOn(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = http.createServer(handler);
  return new Promise<Server>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(new ListenError(err.code, port, host, err));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}
