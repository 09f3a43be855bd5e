/** The shipped examples, as the acceptance tier finds them in examples/. */
import * as fs from "node:fs";
import * as path from "node:path";
import { examplesDir } from "./paths";

export interface ExamplePackage {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Every folder of examples/ that is a Pulumi project. */
export function exampleNames(): string[] {
  return fs
    .readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, "Pulumi.yaml")))
    .map((e) => e.name)
    .sort();
}

export function examplePackage(name: string): ExamplePackage {
  return JSON.parse(fs.readFileSync(path.join(examplesDir, name, "package.json"), "utf8")) as ExamplePackage;
}
