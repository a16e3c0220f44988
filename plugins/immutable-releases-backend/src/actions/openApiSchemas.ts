import type {
  AnyZodObject,
  ZodNumber,
  ZodString,
  ZodTypeAny,
  z as zod,
} from 'zod/v3';
import { spec } from '../schema/openapi.generated';

/*
 * The actions' schemas come from the OpenAPI document of the REST API, the one
 * source of the contract: an action answers exactly what its route answers and
 * takes a field with the limits the route puts on it.
 */

/** The zod the actions registry hands to schema functions. */
export type Zod = typeof zod;

/** The part of JSON Schema that the OpenAPI document uses. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string | readonly string[];
  description?: string;
  enum?: readonly string[];
  properties?: { readonly [name: string]: OpenApiSchema };
  required?: readonly string[];
  additionalProperties?: boolean | OpenApiSchema;
  items?: OpenApiSchema;
  oneOf?: readonly OpenApiSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

type ComponentName = keyof typeof spec.components.schemas;

const COMPONENTS: Readonly<Record<string, OpenApiSchema>> =
  spec.components.schemas;

/**
 * The zod schema of an object the REST API answers with (`Deployment`,
 * `ReleasePage`, …): its structure, which fields are required and which may
 * be null, with the document's descriptions. Objects the document leaves open
 * keep properties it does not name.
 */
export function responseSchema(z: Zod, name: ComponentName): AnyZodObject {
  const converted = componentSchema(z, name);
  if (!(converted instanceof z.ZodObject)) {
    throw new Error(`the OpenAPI schema ${name} is not an object`);
  }
  return converted;
}

/** Any schema of the document's components, as zod; structure only, like {@link responseSchema}. */
export function componentSchema(z: Zod, name: ComponentName): ZodTypeAny {
  return toZod(z, { $ref: `#/components/schemas/${name}` });
}

/** A string field of a request, with the length and pattern limits the document gives it. */
export function requestString(z: Zod, schema: OpenApiSchema): ZodString {
  let string = z.string();
  if (schema.minLength !== undefined) {
    string = string.min(schema.minLength);
  }
  if (schema.maxLength !== undefined) {
    string = string.max(schema.maxLength);
  }
  if (schema.pattern !== undefined) {
    string = string.regex(new RegExp(schema.pattern));
  }
  return string;
}

/** An integer field of a request, with the bounds the document gives it. */
export function requestInteger(z: Zod, schema: OpenApiSchema): ZodNumber {
  let integer = z.number().int();
  if (schema.minimum !== undefined) {
    integer = integer.min(schema.minimum);
  }
  if (schema.maximum !== undefined) {
    integer = integer.max(schema.maximum);
  }
  return integer;
}

function toZod(z: Zod, schema: OpenApiSchema): ZodTypeAny {
  const converted = withoutDescription(z, schema);
  return schema.description
    ? converted.describe(schema.description)
    : converted;
}

function withoutDescription(z: Zod, schema: OpenApiSchema): ZodTypeAny {
  if (schema.$ref) {
    return toZod(z, component(schema.$ref));
  }
  if (schema.oneOf) {
    const variants = schema.oneOf.filter(variant => variant.type !== 'null');
    const converted = variants.map(variant => toZod(z, variant));
    const union =
      converted.length === 1
        ? converted[0]
        : z.union(converted as [ZodTypeAny, ZodTypeAny, ...ZodTypeAny[]]);
    return variants.length < schema.oneOf.length ? union.nullable() : union;
  }
  const types = schema.type === undefined ? [] : [schema.type].flat();
  const [type, ...otherTypes] = types.filter(name => name !== 'null');
  if (otherTypes.length > 0) {
    throw new Error(`unsupported OpenAPI type list ${types.join(', ')}`);
  }
  const converted = ofType(z, type, schema);
  return types.includes('null') ? converted.nullable() : converted;
}

function ofType(
  z: Zod,
  type: string | undefined,
  schema: OpenApiSchema,
): ZodTypeAny {
  switch (type) {
    case 'string':
      return schema.enum
        ? z.enum(schema.enum as [string, ...string[]])
        : z.string();
    case 'integer':
      return z.number().int();
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'array':
      return z.array(schema.items ? toZod(z, schema.items) : z.unknown());
    case 'object':
      return objectOf(z, schema);
    case undefined:
      return schema.properties ? objectOf(z, schema) : z.unknown();
    default:
      throw new Error(`unsupported OpenAPI type ${type}`);
  }
}

function objectOf(z: Zod, schema: OpenApiSchema): ZodTypeAny {
  const { properties, additionalProperties } = schema;
  if (!properties) {
    return z.record(
      z.string(),
      typeof additionalProperties === 'object'
        ? toZod(z, additionalProperties)
        : z.unknown(),
    );
  }
  const required = new Set(schema.required ?? []);
  const shape = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const converted = toZod(z, property);
      return [name, required.has(name) ? converted : converted.optional()];
    }),
  );
  const object = z.object(shape);
  return additionalProperties === false ? object : object.passthrough();
}

function component(ref: string): OpenApiSchema {
  const name = ref.replace(/^#\/components\/schemas\//, '');
  const schema = COMPONENTS[name];
  if (!schema || name === ref) {
    throw new Error(`unknown OpenAPI schema reference ${ref}`);
  }
  return schema;
}
