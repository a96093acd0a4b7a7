#!/usr/bin/env node
// Protocol-level health probes for the local infrastructure, so that "up" means "answers",
// not "the port is open". No dependencies: it runs before `npm ci`.
//   node probe.js kafka 127.0.0.1:9092   -> Kafka ApiVersions request, error_code 0
//   node probe.js mongo 127.0.0.1:27017  -> OP_MSG {ping: 1}, ok: 1
//   node probe.js http  http://...       -> HTTP 200
// Exit code 0 when healthy; otherwise 1 with the reason on stderr.
'use strict';
const net = require('node:net');

const TIMEOUT_MS = 3000;

function exchange(address, request, isComplete) {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) });
    let received = Buffer.alloc(0);
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (isComplete(received)) {
        socket.end();
        resolve(received);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before a full answer')));
  });
}

// The first four bytes of both protocols' frames carry the frame length (Kafka: without itself).
const framed = (offset) => (buf) => buf.length >= 4 && buf.length >= buf.readInt32BE(0) + offset;
const framedLE = (buf) => buf.length >= 4 && buf.length >= buf.readInt32LE(0);

async function kafka(address) {
  const clientId = Buffer.from('edu-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // version 0
  body.writeInt32BE(7, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  const answer = await exchange(address, Buffer.concat([size, body]), framed(4));
  const correlationId = answer.readInt32BE(4);
  const errorCode = answer.readInt16BE(8);
  if (correlationId !== 7 || errorCode !== 0) throw new Error(`ApiVersions error_code ${errorCode}`);
}

function bsonDocument(fields) {
  const parts = [];
  for (const [key, value] of Object.entries(fields)) {
    const name = Buffer.from(`${key}\0`);
    if (typeof value === 'number') {
      const v = Buffer.alloc(4);
      v.writeInt32LE(value, 0);
      parts.push(Buffer.from([0x10]), name, v);
    } else {
      const s = Buffer.from(`${value}\0`);
      const len = Buffer.alloc(4);
      len.writeInt32LE(s.length, 0);
      parts.push(Buffer.from([0x02]), name, len, s);
    }
  }
  const content = Buffer.concat([...parts, Buffer.from([0])]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(content.length + 4, 0);
  return Buffer.concat([size, content]);
}

async function mongo(address) {
  const doc = bsonDocument({ ping: 1, $db: 'admin' });
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(16 + 4 + 1 + doc.length, 0);
  header.writeInt32LE(1, 4); // requestID
  header.writeInt32LE(0, 8); // responseTo
  header.writeInt32LE(2013, 12); // OP_MSG
  header.writeUInt32LE(0, 16); // flagBits
  header.writeUInt8(0, 20); // section kind 0: body
  const answer = await exchange(address, Buffer.concat([header, doc]), framedLE);
  // The reply body holds an `ok` element: type 0x01 (double) followed by the name "ok\0".
  const at = answer.indexOf(Buffer.from([0x01, 0x6f, 0x6b, 0x00]), 21);
  if (at < 0 || answer.readDoubleLE(at + 4) !== 1) throw new Error('ping did not answer ok: 1');
}

async function http(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
}

const probes = { kafka, mongo, http };
const [kind, target] = process.argv.slice(2);
if (!probes[kind] || !target) {
  console.error('usage: probe.js kafka|mongo|http <address-or-url>');
  process.exit(2);
}
probes[kind](target).then(
  () => process.exit(0),
  (error) => {
    console.error(`${kind} ${target}: ${error.message}`);
    process.exit(1);
  },
);
