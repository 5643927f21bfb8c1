// validate-draft04.js — validate a JSON document against a JSON Schema draft-04 schema (the SARIF
// 2.1.0 schema is draft-04, which ajv-cli does not load). Used by the CLI tests.
// usage: node validate-draft04.js NODE_MODULES SCHEMA DOCUMENT
'use strict';
const path = require('path');
const fs = require('fs');
const [mods, schemaPath, docPath] = process.argv.slice(2);
const Ajv = require(path.resolve(mods, 'ajv-draft-04'));
const addFormats = require(path.resolve(mods, 'ajv-formats'));
const ajv = new Ajv({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
if (validate(JSON.parse(fs.readFileSync(docPath, 'utf8')))) {
  console.log(docPath + ' valid');
} else {
  console.log(JSON.stringify(validate.errors.slice(0, 5), null, 1));
  process.exit(1);
}
