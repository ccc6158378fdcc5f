#!/usr/bin/env node
// Evaluates FHIRPath with fhirpath.js (the engine NLM's LHC-Forms uses) for Koers's cross-check.
//
// Reads JSON lines on stdin and writes one JSON line per input line on stdout, in order:
//
//   {"op": "eval", "expression": "...", "resource": {...}, "env": {...}}
//       -> {"result": [...]}  or  {"error": "..."}
//   {"op": "run", "resources": [{...}, ...], "env": {...},
//    "calls": [{"expression": "...", "kind": "variable|score|flag", "name": "...", "resource": 0}, ...]}
//       -> {"results": [[...] or {"error": "..."}, ...]}
//
// "run" replays one scoring of a response: the calls in order, each on resources[call.resource],
// with env = the given env + {resource: that resource} + the results fhirpath.js itself computed
// for the earlier "variable" calls (by name), as SDC variables work.
//
// Options per line: "precise" (default true: fhirpath.js's preciseMath, decimal.js arithmetic as
// the FHIRPath Decimal type asks; false = its default binary floating point).
// Decimals come back as {"$decimal": "<text>"} so no digit is lost on the way to Python.
'use strict';

const readline = require('readline');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const compiled = new Map();

function compile(expression, precise) {
  const key = (precise ? 'p:' : 'n:') + expression;
  let fn = compiled.get(key);
  if (!fn) {
    fn = fhirpath.compile(expression, r4, {preciseMath: precise, keepDecimalTypes: true});
    compiled.set(key, fn);
  }
  return fn;
}

function encode(value) {
  if (value instanceof fhirpath.FP_Decimal) {
    return {$decimal: value.toString()};
  }
  if (typeof value === 'bigint') {
    return {$decimal: value.toString()};
  }
  if (Array.isArray(value)) {
    return value.map(encode);
  }
  if (value && typeof value === 'object') {
    if (typeof value.toJSON === 'function' && !(value.constructor === Object)) {
      return value.toJSON();
    }
    const out = {};
    for (const key of Object.keys(value)) {
      out[key] = encode(value[key]);
    }
    return out;
  }
  return value;
}

function evaluate(expression, resource, env, precise) {
  return compile(expression, precise)(resource, env);
}

function handle(request) {
  const precise = request.precise !== false;
  if (request.op === 'eval') {
    try {
      const env = Object.assign({}, request.env || {});
      return {result: encode(evaluate(request.expression, request.resource, env, precise))};
    } catch (error) {
      return {error: String(error && error.message || error)};
    }
  }
  if (request.op === 'run') {
    const variables = {};
    const results = [];
    for (const call of request.calls) {
      const resource = request.resources[call.resource];
      const env = Object.assign({}, request.env || {}, variables, {resource});
      try {
        const result = evaluate(call.expression, resource, env, precise);
        if (call.kind === 'variable') {
          variables[call.name] = result;
        }
        results.push(encode(result));
      } catch (error) {
        results.push({error: String(error && error.message || error)});
        if (call.kind === 'variable') {
          variables[call.name] = [];
        }
      }
    }
    return {results};
  }
  return {error: 'unknown op ' + JSON.stringify(request.op)};
}

const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
const out = [];
rl.on('line', (line) => {
  if (!line.trim()) {
    return;
  }
  let response;
  try {
    response = handle(JSON.parse(line));
  } catch (error) {
    response = {error: 'bad request: ' + String(error && error.message || error)};
  }
  out.push(JSON.stringify(response));
  if (out.length >= 256) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
});
rl.on('close', () => {
  if (out.length) {
    process.stdout.write(out.join('\n') + '\n');
  }
});
