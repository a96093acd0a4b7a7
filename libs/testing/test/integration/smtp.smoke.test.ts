import { createTransport } from 'nodemailer';
import { deleteMailpitMessages, endpoints, mailpitMessages, uniqueName } from '../../src';

// Smoke test: e-mail through the real Mailpit SMTP port, read back through its HTTP API.
describe('Mailpit SMTP (real process)', () => {
  const transport = createTransport(endpoints().smtpUrl);
  const newAddress = () => `${uniqueName('mail')}@school.example`;
  afterAll(() => transport.close());

  it('when a Russian e-mail is sent over SMTP, then Mailpit has it with subject, sender and Cyrillic body intact', async () => {
    const to = newAddress();
    const subject = 'Итоговая отметка за I четверть: «отлично» (5)';
    const text =
      'Здравствуйте, Ольга Петровна!\nВаш ребёнок, Алёша, получил «5» по русскому языку.\n№ 1, ёлка, ЪЫЬЭЮЯ.';

    await transport.sendMail({
      from: { name: 'Школа № 1 — электронный журнал', address: 'journal@school.example' },
      to: { name: 'Ольга Петровна', address: to },
      subject,
      text,
    });

    const messages = await mailpitMessages(to);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.subject).toBe(subject);
    expect(message?.from).toEqual({
      name: 'Школа № 1 — электронный журнал',
      address: 'journal@school.example',
    });
    expect(message?.to).toEqual([{ name: 'Ольга Петровна', address: to }]);
    expect(await message?.text()).toBe(text);
  });

  it('when filtering by one recipient, then a message to another address (even one containing it) is not returned', async () => {
    const first = newAddress();
    const other = `copy.${first}`;
    await transport.sendMail({
      from: 'journal@school.example',
      to: other,
      subject: 'Другому',
      text: 'Не вам.',
    });
    await transport.sendMail({ from: 'journal@school.example', to: first, subject: 'Вам', text: 'Вам.' });

    expect((await mailpitMessages(first)).map(({ subject }) => subject)).toEqual(['Вам']);
    expect((await mailpitMessages(other)).map(({ subject }) => subject)).toEqual(['Другому']);
    expect((await mailpitMessages()).map(({ id }) => id)).toEqual(
      expect.arrayContaining(
        [...(await mailpitMessages(first)), ...(await mailpitMessages(other))].map(({ id }) => id),
      ),
    );

    await deleteMailpitMessages(first);
    expect(await mailpitMessages(first)).toEqual([]);
    expect(await mailpitMessages(other)).toHaveLength(1);
    await deleteMailpitMessages(other);
  });

  it('when a recipient is only in Bcc, then filtering by it finds the message', async () => {
    const to = newAddress();
    const bcc = newAddress();
    await transport.sendMail({
      from: 'journal@school.example',
      to,
      bcc,
      subject: 'Скрытая копия',
      text: 'Копия.',
    });

    const [message] = await mailpitMessages(bcc);
    expect(message?.subject).toBe('Скрытая копия');
    expect(message?.bcc).toEqual([{ name: '', address: bcc }]);
  });
});
