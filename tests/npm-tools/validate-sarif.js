// Validates a SARIF log against the SARIF 2.1.0 JSON schema that @microsoft/jest-sarif ships
// (sarif-2.1.0-rtm.5.json), with ajv. Usage: node validate-sarif.js <log.sarif>
// Exits 1 and prints the schema errors when the log is not valid.
const fs = require('fs');
const path = require('path');

// The schema and the ajv (draft-04 capable, v6) that jest-sarif itself validates with.
const jestSarif = path.dirname(require.resolve('@microsoft/jest-sarif/package.json'));
const fromJestSarif = (request) => require(require.resolve(request, { paths: [jestSarif] }));
const Ajv = fromJestSarif('ajv');
const schemaPath = path.join(jestSarif, 'lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const log = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
ajv.addMetaSchema(fromJestSarif('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);
if (!validate(log)) {
  console.error(JSON.stringify(validate.errors, null, 2));
  process.exit(1);
}
console.log(`valid SARIF ${log.version}: ${log.runs[0].results.length} results`);
