// Validates every Kubernetes object in the given YAML files against the Kubernetes schemas (kubernetes-models),
// offline. Prints one line per object; exits 1 if any is invalid or of a kind it cannot check.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";


let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJSON();
    if (!object) continue;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
    const modulePath = group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
    try {
      const models = await import(modulePath);
      const Model = models[object.kind];
      if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
      new Model(object).validate();
      console.log(`valid   ${object.apiVersion} ${object.kind} ${object.metadata?.name}`);
    } catch (error) {
      failures++;
      console.log(`INVALID ${object.apiVersion} ${object.kind} ${object.metadata?.name}: ${error.message}`);
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
