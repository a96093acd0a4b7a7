import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from './openapi';

/** One field problem in a request, named by its JSON path ("licence.issuedOn"). */
export interface FieldError {
  field: string;
  message: string;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: openApiDocument.components });

/** A validator for a schema of the OpenAPI document's components, by name. */
export function schemaValidator(name: keyof typeof openApiDocument.components.schemas): ValidateFunction {
  return ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
}

/** A validator for an inline schema (query parameters), resolving refs into the document. */
export function inlineValidator(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

// A field is named as in JavaScript, `periodSchemes[0].kind`, the way the services name it too.
function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  return path || '(тело запроса)';
}

function messageOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'Обязательное поле';
    case 'additionalProperties':
      return 'Неизвестное поле';
    case 'type':
      return `Ожидается ${typeName((error.params as { type: string }).type)}`;
    case 'pattern':
      return 'Неверный формат';
    case 'minLength':
      return 'Слишком короткое значение';
    case 'maxLength':
      return 'Слишком длинное значение';
    case 'minimum':
    case 'maximum':
      return 'Значение вне допустимого диапазона';
    case 'format':
      return 'Неверный формат';
    default:
      return 'Неверное значение';
  }
}

function typeName(type: string): string {
  return (
    (
      {
        string: 'строка',
        integer: 'целое число',
        number: 'число',
        object: 'объект',
        array: 'список',
        boolean: 'да/нет',
      } as Record<string, string>
    )[type] ?? type
  );
}

/** The validator's errors as field errors with Russian messages, one per field. */
export function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const byField = new Map<string, string>();
  for (const error of errors ?? []) {
    const field = fieldOf(error);
    if (!byField.has(field)) byField.set(field, messageOf(error));
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}
