import { AsyncResource } from 'node:async_hooks';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { DomainError, invalid, toProblem, type Logger, type Problem } from '@edu/kit';
import { GrpcCallError, problemFromGrpcError } from '@edu/grpc';
import { findOperation, operationById } from './operations';
import { httpProblem, instanceOf, sendProblem } from './problem';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Parses a JSON body up to `limit`. A body over the limit is 413, one that is not JSON is 400,
 * an unknown charset or encoding 415 — each as problem+json, without the parser's message.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, type: JSON_TYPES, strict: true });
  return (req, res, next) => {
    // The parser calls back from the request stream's events; binding keeps the request's
    // context (trace id in the log) whichever way the stream delivers them.
    const done = AsyncResource.bind((error?: unknown) => {
      if (error === undefined) return next();
      const problem = bodyProblem(error, limit, instanceOf(req.originalUrl));
      if (problem === undefined) return next(error);
      sendProblem(res, problem);
    });
    parse(req, res, done);
  };
}

function bodyProblem(error: unknown, limit: string, instance: string): Problem | undefined {
  const type = (error as { type?: unknown }).type;
  switch (type) {
    case 'entity.too.large':
      return httpProblem(
        413,
        'request.too_large',
        'Слишком большой запрос',
        `Тело запроса больше ${limit}.`,
        instance,
      );
    case 'entity.parse.failed':
      return httpProblem(
        400,
        'request.malformed_json',
        'Некорректный JSON',
        'Тело запроса не разбирается как JSON.',
        instance,
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return httpProblem(
        415,
        'request.unsupported_encoding',
        'Неподдерживаемая кодировка',
        'Тело запроса принимается в UTF-8, без сжатия или со сжатием gzip/deflate.',
        instance,
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return httpProblem(
        400,
        'request.incomplete',
        'Неполный запрос',
        'Тело запроса получено не полностью.',
        instance,
      );
    default:
      return undefined;
  }
}

/**
 * Validates the request against its operation in the OpenAPI document: a body of the wrong type
 * is 415; any bad field is 400 naming each field in `errors[]`. Put before the route's handler,
 * so a handler never runs on an unchecked request.
 */
export function validateRequest(operationId: string): RequestHandler {
  const operation = operationById(operationId);
  return (req, res, next) => {
    if (operation.hasBody && !req.is(JSON_TYPES)) {
      return sendProblem(
        res,
        httpProblem(
          415,
          'request.unsupported_media_type',
          'Неподдерживаемый формат',
          'Тело запроса должно быть в формате JSON (Content-Type: application/json).',
          instanceOf(req.originalUrl),
        ),
      );
    }
    const errors = operation.validate({
      params: req.params,
      query: req.query as Record<string, unknown>,
      headers: req.headers,
      body: req.body,
    });
    if (errors.length > 0) throw invalid('request.invalid', 'Проверьте поля запроса', errors);
    next();
  };
}

/** The answer for a request no route took: 405 with `Allow` for a known path, else 404. */
export function notFound(): RequestHandler {
  return (req, res) => {
    const instance = instanceOf(req.originalUrl);
    const match = findOperation(req.method, req.path);
    if (match && 'allowedMethods' in match) {
      res.setHeader('Allow', match.allowedMethods.join(', '));
      return sendProblem(
        res,
        httpProblem(
          405,
          'request.method_not_allowed',
          'Метод не поддерживается',
          `Метод ${req.method} здесь не поддерживается.`,
          instance,
        ),
      );
    }
    sendProblem(
      res,
      httpProblem(404, 'request.not_found', 'Не найдено', 'Такого адреса в API нет.', instance),
    );
  };
}

// Errors of express itself (e.g. a path parameter that is not valid percent-encoding) carry a
// 4xx status and a message meant for developers; the client gets a plain 400.
function isClientHttpError(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The problem for an error that reached the end of the chain. */
export function problemFor(error: unknown, instance: string): Problem {
  if (error instanceof GrpcCallError) return problemFromGrpcError(error, instance);
  if (error instanceof DomainError) return toProblem(error, instance);
  if (isClientHttpError(error)) {
    return httpProblem(400, 'request.invalid', 'Неверный запрос', 'Запрос не удалось разобрать.', instance);
  }
  // Anything else is ours: a generic 500, never the message or the stack.
  return toProblem(error, instance);
}

/** The last handler: every error becomes problem+json; 5xx are logged with their cause. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ module: 'http' });
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a problem: express's own handler cuts the connection.
      log.error({ err: error }, 'request failed after the answer started');
      return next(error);
    }
    const problem = problemFor(error, instanceOf(req.originalUrl));
    if (problem.status >= 500) {
      const upstream = error instanceof GrpcCallError ? { method: error.method, code: error.codeName } : {};
      log.error({ err: error, status: problem.status, ...upstream }, 'request failed');
    }
    sendProblem(res, problem);
  };
}
