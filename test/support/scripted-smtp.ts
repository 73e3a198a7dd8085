import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** An SMTP reply error, as smtp-server sends it: `smtpError('mailbox unavailable', 550)`. */
export const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

export interface ScriptedSmtpServer {
  url: string;
  /** raw messages whose DATA the server read (also those it then answered with an error or a cut) */
  messages: string[];
  /** TCP connections accepted */
  connections: number;
  /** the open connections, to cut one where a real network would */
  sockets: Set<Socket>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback whose answers a test scripts: refuse a sender or recipient
 * (onMailFrom/onRcptTo with smtpError), or act after the message data was read (afterData: accept,
 * refuse, or cut the connection before replying, as a broken network would).
 */
export async function startScriptedSmtp(
  script: Pick<SMTPServerOptions, 'onMailFrom' | 'onRcptTo'> & {
    /** after the whole message was read; default: accept it */
    afterData?: (raw: string, sockets: Set<Socket>, callback: (err?: Error | null) => void) => void;
  } = {},
): Promise<ScriptedSmtpServer> {
  const sockets = new Set<Socket>();
  const state = { messages: [] as string[], connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onMailFrom: script.onMailFrom,
    onRcptTo: script.onRcptTo,
    async onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      state.messages.push(raw);
      if (script.afterData) script.afterData(raw, sockets, callback);
      else callback();
    },
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    get messages() {
      return state.messages;
    },
    get connections() {
      return state.connections;
    },
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
