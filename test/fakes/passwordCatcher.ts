import { createServer, type Server, type Socket } from 'node:net';

/**
 * A server on 127.0.0.1 that speaks just enough of the Postgres wire protocol to ask a client
 * for its password in clear text (what a hostile server would do), records what it receives,
 * and refuses it as a wrong password (SQLSTATE 28P01). The tests assert that no stored secret
 * ever reaches it.
 */
export interface PasswordCatcher {
  port: number;
  /** Clients that sent a startup message (user, database), in order. */
  readonly startups: { user?: string; database?: string }[];
  /** Passwords received, in order. */
  readonly passwords: string[];
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

export async function startPasswordCatcher(): Promise<PasswordCatcher> {
  const startups: PasswordCatcher['startups'] = [];
  const passwords: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const body = buffer.subarray(8, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            socket.write('N');
            continue;
          }
          started = true;
          const parts = body.toString('utf8').split('\0');
          const params: Record<string, string> = {};
          for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params[parts[i]] = parts[i + 1];
          startups.push({ user: params.user, database: params.database });
          // AuthenticationCleartextPassword
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5);
          socket.write(ask);
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        if (type !== 'p') continue;
        passwords.push(body.toString('utf8').replace(/\0$/, ''));
        socket.end(errorResponse('28P01', `password authentication failed for user "${startups.at(-1)?.user ?? ''}"`));
        return;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the password catcher has no port');
  return {
    port: address.port,
    startups,
    passwords,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}
