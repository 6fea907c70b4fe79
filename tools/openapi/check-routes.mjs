#!/usr/bin/env node
// Checks that docs/openapi.yaml documents exactly the server's routes, each with the right permission.
// Usage: node check-routes.mjs <routes.json> [openapi.yaml]
//   routes.json: the output of `welfare routes --json`
//                ([{"method":"GET","path":"/api/v1/units/{id}","permission":"units.read"}, ...]); "-" reads stdin.
//   openapi.yaml: default ../../docs/openapi.yaml, relative to this script.
// Exits 0 when they agree, 1 listing every problem when they do not, 2 on bad input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function usage(message) {
  console.error(`check-routes: ${message}`);
  console.error('usage: node check-routes.mjs <routes.json|-> [openapi.yaml]');
  process.exit(2);
}

function readText(file) {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    usage(`cannot read ${file}: ${error.message}`);
  }
}

const [routesFile, openapiArg] = process.argv.slice(2);
if (!routesFile) usage('missing <routes.json>');
const openapiFile = path.resolve(openapiArg ?? path.join(here, '../../docs/openapi.yaml'));

let routes;
try {
  routes = JSON.parse(readText(routesFile));
} catch (error) {
  usage(`${routesFile} is not JSON: ${error.message}`);
}
if (!Array.isArray(routes)) usage(`${routesFile} must hold a JSON array of routes`);

let document;
try {
  document = YAML.parse(readText(openapiFile));
} catch (error) {
  usage(`${openapiFile} is not YAML: ${error.message}`);
}
if (!document || typeof document.paths !== 'object' || document.paths === null) {
  usage(`${openapiFile} has no paths`);
}

const problems = [];
const key = (method, route) => `${method.toUpperCase()} ${route}`;

// The server's routes, keyed by "METHOD /path".
const server = new Map();
for (const [index, route] of routes.entries()) {
  if (!route || typeof route.method !== 'string' || typeof route.path !== 'string') {
    usage(`route #${index} in ${routesFile} lacks a method or path`);
  }
  const id = key(route.method, route.path);
  if (server.has(id)) problems.push(`${id}: listed twice by the server`);
  server.set(id, route.permission);
}

// The documented operations, keyed the same way.
const documented = new Map();
for (const [route, item] of Object.entries(document.paths)) {
  if (!item || typeof item !== 'object') continue;
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation || typeof operation !== 'object') continue;
    documented.set(key(method, route), {
      permission: operation['x-permission'],
      operationId: operation.operationId,
    });
  }
}

for (const [id, permission] of server) {
  const operation = documented.get(id);
  if (!operation) {
    problems.push(`${id}: served (permission "${permission}") but not documented in ${path.basename(openapiFile)}`);
  } else if (operation.permission === undefined) {
    problems.push(`${id}: documented without x-permission; the server requires "${permission}"`);
  } else if (operation.permission !== permission) {
    problems.push(`${id}: x-permission is "${operation.permission}" but the server requires "${permission}"`);
  }
}
for (const [id, operation] of documented) {
  if (!server.has(id)) {
    const name = operation.operationId ? ` (${operation.operationId})` : '';
    problems.push(`${id}${name}: documented but the server has no such route`);
  }
}

if (problems.length > 0) {
  console.error(`check-routes: ${problems.length} problem(s) between ${routesFile} and ${openapiFile}:`);
  for (const problem of problems.sort()) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`check-routes: ${server.size} routes, all documented with matching x-permission (${openapiFile})`);
