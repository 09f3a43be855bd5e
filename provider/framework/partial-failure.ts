/**
 * A step that failed after something was created: Pulumi's initialization error. The engine keeps
 * the resource in state with the outputs given here and the next `up` retries what failed, so an
 * uploaded script (or a fleet's tenants that succeeded) is never orphaned.
 */

/** The error the dynamic provider host turns into an initialization failure (`id`, `properties`, `reasons`). */
export function initializationError(id: string, properties: object, reasons: string[], message = reasons.join("; ")): Error {
  return Object.assign(new Error(message), { id, properties, reasons });
}

/** Runs `step`; if it fails, the resource is reported as existing with `outputs`. */
export async function partially<T>(id: string, outputs: object, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw initializationError(id, outputs, [reason]);
  }
}
