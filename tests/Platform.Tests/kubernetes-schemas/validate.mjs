// Validates every Kubernetes object in the given YAML files against its schema, offline: the Kubernetes API's
// (kubernetes-models) and CloudNativePG's (@kubernetes-models/cloudnative-pg). Prints one line per object; exits 1 if
// any is invalid or of a kind it has no schema for, except the kinds named in UNCHECKED_KINDS ("group/version/Kind,...":
// no schema package exists for them; the caller checks those itself).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Custom resources: the package that holds the schemas of an API group.
const packages = { "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg" };
const unchecked = new Set((process.env.UNCHECKED_KINDS ?? "").split(",").filter(k => k));

let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJSON();
    if (!object) continue;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
    const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
    if (unchecked.has(`${object.apiVersion}/${object.kind}`)) {
      console.log(`unchecked ${name}`);
      continue;
    }
    const modulePath = group === "" ? `kubernetes-models/${version}`
      : packages[group] ? `${packages[group]}/${group}/${version}` : `kubernetes-models/${group}/${version}`;
    try {
      const models = await import(modulePath);
      const Model = models[object.kind];
      if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
      new Model(object).validate();
      console.log(`valid   ${name}`);
    } catch (error) {
      failures++;
      console.log(`INVALID ${name}: ${error.message}`);
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
