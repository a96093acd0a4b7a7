import { createServer, type AddressInfo, type Server } from 'node:net';
import { deleteMailpitMessages, endpoints, mailpitMessages, uniqueName } from '@edu/testing';
import { createEmailProvider } from '../../src/adapters/email-provider';
import type { ChannelMessage } from '../../src/domain/model';
import { ProviderError } from '../../src/domain/ports';

const FROM = 'Электронный дневник <no-reply@edu.localhost>';

function message(address: string, changes: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    channel: 'email',
    recipientId: 'guardian-1',
    address,
    subject: 'Школа № 1: Оценка «2» по математике',
    text: 'Алёша получил «2» за самостоятельную работу.\nПодробнее — в дневнике, неделя с 24.11.2025.\n\nЁлка, №, ЪЫЬЭЮЯ.',
    deliveryIds: ['event-1:low_mark:guardian-1:alesha:email'],
    ...changes,
  };
}

async function sendError(send: Promise<void>): Promise<ProviderError> {
  const error = await send.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A minimal SMTP server that refuses every recipient with `reply` (a mail server's 4xx or 5xx). */
async function refusingServer(reply: string): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.write('220 refusing.test ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 refusing.test\r\n');
        else if (line.startsWith('MAIL FROM')) socket.write('250 OK\r\n');
        else if (line.startsWith('RCPT TO')) socket.write(`${reply}\r\n`);
        else if (line.startsWith('QUIT')) socket.end('221 Bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, server };
}

describe('e-mail provider (real SMTP: Mailpit)', () => {
  it('when a Russian message is sent, then Mailpit has it with the subject, sender and UTF-8 body intact', async () => {
    const provider = createEmailProvider({ smtpUrl: endpoints().smtpUrl, from: FROM });
    const to = `${uniqueName('mama')}@school.example`;
    try {
      await provider.send(message(to));

      const received = await mailpitMessages(to);
      expect(received).toHaveLength(1);
      expect(received[0]?.subject).toBe(message(to).subject);
      expect(received[0]?.from).toEqual({ name: 'Электронный дневник', address: 'no-reply@edu.localhost' });
      expect((await received[0]?.text())?.trimEnd()).toBe(message(to).text);
    } finally {
      provider.close();
      await deleteMailpitMessages(to);
    }
  });

  it('when the SMTP server cannot be reached, then the send fails with a retryable ProviderError', async () => {
    const provider = createEmailProvider({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, from: FROM });
    try {
      const error = await sendError(provider.send(message('mama@school.example')));

      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^smtp: /);
    } finally {
      provider.close();
    }
  });

  it('when the address is not an address at all, then the send fails for good (no retry would help)', async () => {
    const provider = createEmailProvider({ smtpUrl: endpoints().smtpUrl, from: FROM });
    try {
      const error = await sendError(provider.send(message('not an address')));

      expect(error.retryable).toBe(false);
    } finally {
      provider.close();
    }
  });

  it.each([
    ['550 5.1.1 No such mailbox', false],
    ['452 4.2.2 Mailbox full, try later', true],
  ])(
    'when the server answers the recipient with %j, then the error is retryable: %s',
    async (reply, retryable) => {
      const { url, server } = await refusingServer(reply);
      const provider = createEmailProvider({ smtpUrl: url, from: FROM });
      try {
        const error = await sendError(provider.send(message('nobody@school.example')));

        expect(error.retryable).toBe(retryable);
        expect(error.message).toContain(reply.slice(0, 3));
      } finally {
        provider.close();
        server.close();
      }
    },
  );
});
