import type { ValidateFunction } from 'ajv';
import { openApiDocument } from './openapi';
import { fieldErrors, inlineValidator, type FieldError } from './validation';

// The operations of the OpenAPI document, compiled once: a matcher for metric labels and the
// 405 answer, and a request validator per operation. The document is the contract, so the
// validators are derived from it rather than written next to it.

interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: { type?: string };
}

interface OperationSpec {
  operationId: string;
  parameters?: readonly ParameterSpec[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: object }> };
}

/** The parts of a request an operation's validator looks at. */
export interface RequestParts {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** One operation of the document. */
export interface Operation {
  operationId: string;
  /** Upper case, as express reports it. */
  method: string;
  /** The route in express notation (`/api/v1/schools/:id`): the `route` label of the metrics. */
  route: string;
  /** True when the operation takes a JSON body. */
  hasBody: boolean;
  /** Every problem of the request, one per field, in Russian; empty when it is valid. */
  validate(request: RequestParts): FieldError[];
}

// Schemas of the document refer to `#/components/…`; compiled on their own they must point into
// the document registered with Ajv under the id `openapi` (see validation.ts).
function intoDocument(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(intoDocument);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `openapi${value}`
        : intoDocument(value),
    ]),
  );
}

// Query strings and headers are text; a parameter declared as a number is compared as one when
// it reads as one, and otherwise left as text so that the validator names it.
function coerce(value: unknown, type: string | undefined): unknown {
  if (
    (type === 'integer' || type === 'number') &&
    typeof value === 'string' &&
    /^-?\d+(\.\d+)?$/.test(value)
  ) {
    return Number(value);
  }
  return value;
}

function parametersValidator(
  parameters: readonly ParameterSpec[],
): (values: Record<string, unknown>) => FieldError[] {
  if (parameters.length === 0) return () => [];
  const validate = inlineValidator({
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, intoDocument(p.schema)])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  });
  return (values) => {
    const present = Object.fromEntries(
      parameters.flatMap((p) =>
        values[p.name] === undefined ? [] : [[p.name, coerce(values[p.name], p.schema.type)]],
      ),
    );
    return validate(present) ? [] : fieldErrors(validate.errors);
  };
}

function bodyValidator(operation: OperationSpec): ValidateFunction | undefined {
  const schema = operation.requestBody?.content['application/json']?.schema;
  return schema ? inlineValidator(intoDocument(schema) as object) : undefined;
}

function compileOperation(template: string, method: string, spec: OperationSpec): Operation {
  const parameters = spec.parameters ?? [];
  const byLocation = (location: ParameterSpec['in']) =>
    parametersValidator(parameters.filter((p) => p.in === location));
  const path = byLocation('path');
  const query = byLocation('query');
  const header = byLocation('header');
  const headerNames = parameters.filter((p) => p.in === 'header').map((p) => p.name);
  const body = bodyValidator(spec);
  return {
    operationId: spec.operationId,
    method: method.toUpperCase(),
    route: template.replace(/\{(\w+)\}/g, ':$1'),
    hasBody: body !== undefined,
    validate(request) {
      // Headers arrive lower-cased; the document (and so the error) names them as written.
      const headers = Object.fromEntries(
        headerNames.map((name) => [name, request.headers[name.toLowerCase()]]),
      );
      const bodyErrors = body === undefined || body(request.body) ? [] : fieldErrors(body.errors);
      return [...path(request.params), ...query(request.query), ...header(headers), ...bodyErrors];
    },
  };
}

interface CompiledPath {
  pattern: RegExp;
  operations: Operation[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const paths: CompiledPath[] = Object.entries(
  openApiDocument.paths as unknown as Record<string, Record<string, OperationSpec>>,
).map(([template, item]) => ({
  // Same shape as express's non-strict routing: a trailing slash is allowed, case matters
  // (the routers are created case-sensitive).
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`),
  operations: Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, spec]) => compileOperation(template, method, spec)),
}));

const byId = new Map(paths.flatMap((p) => p.operations.map((op) => [op.operationId, op] as const)));

/** The operation of the document with this id; throws for an unknown id (a programming error). */
export function operationById(operationId: string): Operation {
  const operation = byId.get(operationId);
  if (!operation) throw new Error(`operation ${operationId} is not in the OpenAPI document`);
  return operation;
}

/** Every operation of the document. */
export function allOperations(): Operation[] {
  return [...byId.values()];
}

/**
 * Finds what a request addresses: the operation, or the methods its path allows (for a 405),
 * or nothing (404). HEAD is answered by GET, as express does.
 */
export function findOperation(
  method: string,
  path: string,
): { operation: Operation } | { allowedMethods: string[] } | undefined {
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const found = paths.find((p) => p.pattern.test(path));
  if (!found) return undefined;
  const operation = found.operations.find((op) => op.method === wanted);
  return operation ? { operation } : { allowedMethods: found.operations.map((op) => op.method) };
}
