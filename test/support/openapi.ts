import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Validates against a schema inside the OpenAPI document, resolving its $refs there (JSON Schema 2020-12, formats checked). */
export function schemaValidator(doc: Record<string, unknown>): (pointer: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'paths', 'components']);
  ajv.addSchema(doc, 'openapi.json');
  return (pointer) => ajv.compile({ $ref: `openapi.json${pointer}` });
}
