/**
 * Input validation for `check`: each rule names the property it is about, so `pulumi preview` prints
 * "<resource>: <property>: <rule>" before anything is created.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "./unknowns";

export type CheckFailure = pulumi.dynamic.CheckFailure;

export class Failures {
  readonly list: CheckFailure[] = [];

  add(property: string, reason: string): void {
    this.list.push({ property, reason });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** A required, known string; reports and returns undefined when it is missing or not a string. */
  requireString<T extends object>(inputs: T, property: keyof T & string): string | undefined {
    const value: unknown = inputs[property];
    if (isUnknown(value)) return undefined;
    if (typeof value !== "string" || value.length === 0) {
      this.add(property, `${property} is required and must be a non-empty string`);
      return undefined;
    }
    return value;
  }

  optionalBoolean<T extends object>(inputs: T, property: keyof T & string): void {
    const value: unknown = inputs[property];
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "boolean") this.add(property, `${property} must be true or false`);
  }

  optionalString<T extends object>(inputs: T, property: keyof T & string): void {
    const value: unknown = inputs[property];
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "string" || value.length === 0) this.add(property, `${property} must be a non-empty string`);
  }
}

/** `check`'s olds hold nothing (but the serialized provider) for a resource the engine is about to create. */
export function isNew(olds: object): boolean {
  return Object.keys(olds).every((key) => key === "__provider");
}

/** Inputs without their null values: an empty secret arrives as null, and null is absent, like any other null input. */
export function withoutNulls<T extends object>(inputs: T): T {
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== null)) as T;
}
