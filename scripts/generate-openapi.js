#!/usr/bin/env node
// `yarn generate`: writes the TypeScript generated from the OpenAPI document of
// the REST API, the one source of the contract:
//   - the backend's `spec` constant, which its router is built from and which it
//     serves at /openapi.json;
//   - the request and response types (`paths`, `components`) in -common, which
//     the shared types and the typed client are made of.
// `yarn generate --check` writes nothing and fails when a generated file is not
// what the document gives (`yarn test` runs it, so CI catches a stale file).
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const prettier = require('prettier');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = 'plugins/immutable-releases-backend/src/schema/openapi.yaml';
const BACKEND_TARGET =
  'plugins/immutable-releases-backend/src/schema/openapi.generated.ts';
const COMMON_TARGET =
  'plugins/immutable-releases-common/src/schema/openapi.generated.ts';

function header(...what) {
  return [
    ...what.map(line => `// ${line}`),
    '//',
    `// Generated from ${SOURCE}`,
    '// by `corepack yarn generate` (scripts/generate-openapi.js): do not edit it by',
    '// hand. Edit the YAML document and run the command again.',
    '',
    '',
  ].join('\n');
}

/** The document, parsed; a YAML error names the line. */
function readDocument() {
  const text = fs.readFileSync(path.join(ROOT, SOURCE), 'utf8');
  const document = YAML.parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new Error(
      `${SOURCE} is not valid YAML:\n${document.errors
        .map(error => error.message)
        .join('\n')}`,
    );
  }
  return document.toJS();
}

function backendSource(spec) {
  return `${header(
    'The OpenAPI document of the Immutable Releases REST API as a TypeScript',
    'constant, for `createValidatedOpenApiRouter<typeof spec>(spec)`.',
  )}export const spec = ${JSON.stringify(spec, null, 2)} as const;\n`;
}

async function commonSource(spec) {
  // openapi-typescript is an ES module with a CommonJS build; load it only
  // here so that a broken install names this step.
  const { default: openapiTS, astToString } = await import(
    'openapi-typescript'
  );
  const ast = await openapiTS(spec, {
    // Response objects without `additionalProperties` are closed types.
    additionalProperties: false,
    alphabetize: false,
  });
  return `${header(
    'Types of the Immutable Releases REST API: `paths` (every operation with its',
    'parameters, request body and responses) and `components` (the schemas).',
  )}${astToString(ast)}`;
}

async function format(source, file) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(source, { ...options, filepath: file });
}

async function main() {
  const check = process.argv.includes('--check');
  const spec = readDocument();
  const outputs = [
    [BACKEND_TARGET, backendSource(spec)],
    [COMMON_TARGET, await commonSource(spec)],
  ];
  const stale = [];
  for (const [target, source] of outputs) {
    const file = path.join(ROOT, target);
    const content = await format(source, file);
    const current = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8')
      : undefined;
    if (current === content) {
      continue;
    }
    if (check) {
      stale.push(target);
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      console.log(`wrote ${target}`);
    }
  }
  if (stale.length > 0) {
    console.error(
      `These files are not what ${SOURCE} gives:\n${stale
        .map(target => `  ${target}`)
        .join('\n')}\nRun \`corepack yarn generate\` and commit the result.`,
    );
    process.exit(1);
  }
  if (check) {
    console.log(`the generated files match ${SOURCE}`);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
