#!/usr/bin/env node
// Writes koers/fhirpath/r4_model.json: the part of the FHIR R4 model
// that Koers's FHIRPath engine needs to navigate choice types (value[x]) and know element
// types, taken from the model data fhirpath.js ships (generated from the FHIR R4
// specification, CC0): every R4 resource and data type, so that choice types and is/as/ofType
// are answered for any resource (issue #15: Observation.value.unit, Patient.active.is(boolean)).
// Run it again only when fhirpath.js is upgraded:
//     node tools/fhirpath-js/make-r4-model.js
'use strict';
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, 'node_modules', 'fhirpath', 'fhir-context', 'r4');
const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
const path2Type = read('path2Type.json');
const choiceTypePaths = read('choiceTypePaths.json');
const pathsDefinedElsewhere = read('pathsDefinedElsewhere.json');
const type2Parent = read('type2Parent.json');

const resources = new Set(
  Object.keys(type2Parent).filter((t) => ['Resource', 'DomainResource'].includes(type2Parent[t]))
);
const kept = resources;
const keep = (p) => {
  const root = p.split('.')[0];
  return kept.has(root) || !resources.has(root);
};
const pick = (obj, map = (v) => v) =>
  Object.fromEntries(Object.keys(obj).sort().filter(keep).map((k) => [k, map(obj[k])]));

const model = {
  source: 'fhirpath.js ' + require(path.join(dir, '..', '..', 'package.json')).version + ' fhir-context/r4',
  resources: [...kept].sort(),
  types: pick(path2Type, (v) => (typeof v === 'object' ? v.code : v)),
  choices: pick(choiceTypePaths),
  elsewhere: pick(pathsDefinedElsewhere),
  parents: Object.fromEntries(Object.keys(type2Parent).sort().map((k) => [k, type2Parent[k]])),
};
const out = path.join(__dirname, '..', '..', 'koers', 'fhirpath', 'r4_model.json');
fs.writeFileSync(out, JSON.stringify(model, null, 0) + '\n');
console.log('wrote', out, fs.statSync(out).size, 'bytes');
