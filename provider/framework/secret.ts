/**
 * A value a provider returns for the engine to store encrypted. The Node SDK's dynamic provider host
 * tells the engine it does not accept secrets, so the engine re-marks a returned property as secret
 * only where the same property was secret before (`annotateSecrets` in the engine's
 * pkg/resource/plugin/provider_plugin.go). It reads a provider's results with secrets kept, though:
 * a value wrapped in the secret signature of the Node SDK (`specialSigKey`, `specialSecretSig` in
 * @pulumi/pulumi/runtime/rpc.js) is stored as a secret, and handed back to the provider unwrapped.
 */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretValue<T> {
  [SIG_KEY]: typeof SECRET_SIG;
  value: T;
}

export function asSecret<T>(value: T): SecretValue<T> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The value inside a secret's wrapper (as a direct caller may hand it), or the value itself. */
export function unwrapSecret(value: unknown): unknown {
  const wrapped = value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
  return wrapped ? (value as SecretValue<unknown>).value : value;
}
