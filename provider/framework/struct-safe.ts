/**
 * What a dynamic provider returns crosses into the engine through google-protobuf's
 * `Struct.fromJavaScript`, which throws "Unexpected struct type." on `undefined` anywhere inside an
 * object or list (and on functions, symbols, bigints). One `undefined` deep in `read`'s result fails
 * the whole `pulumi refresh`. So every result is made Struct-safe here, once, at the boundary the
 * engine calls (provider/index.ts), instead of trusting each method to build clean objects.
 */
import type * as pulumi from "@pulumi/pulumi";

export type StructValue = null | boolean | number | string | StructValue[] | { [key: string]: StructValue };

/**
 * A copy of `value` that Struct encoding accepts: object keys holding `undefined` are dropped (the
 * engine would never see them anyway), `undefined` list items become `null` (a list keeps its
 * length), Buffers and typed arrays are refused loudly rather than encoded wrongly.
 */
export function structSafe(value: unknown, at = "value"): StructValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return value;
    case "object":
      break;
    default:
      throw new TypeError(`${at} is a ${typeof value}, which the engine cannot store`);
  }
  if (Array.isArray(value)) return value.map((item, i) => structSafe(item, `${at}[${i}]`));
  if (ArrayBuffer.isView(value)) throw new TypeError(`${at} is binary data, which the engine cannot store`);
  if (value instanceof Date) return value.toISOString();
  const out: { [key: string]: StructValue } = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = structSafe(item, `${at}.${key}`);
  }
  return out;
}

type Props = Record<string, unknown>;
const safeProps = (props: unknown, at: string) => structSafe(props ?? {}, at) as Props;

/** The key under which the engine keeps a dynamic resource's serialized provider, in inputs and outputs. */
const PROVIDER_KEY = "__provider";

/**
 * The same provider, each result Struct-safe; an initialization failure's properties too. Those
 * properties also get the serialized provider from the inputs: the Node SDK's host adds it to the
 * outputs of a successful create or update, not to a failure's, and without it in state every later
 * refresh or destroy of the resource fails ("code must be a string").
 */
export function structSafeProvider(provider: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider {
  const failure =
    (inputs: Props) =>
    (error: unknown): never => {
      const partial = error as { properties?: unknown };
      if (error && typeof error === "object" && partial.properties !== undefined) {
        const props = safeProps(partial.properties, "properties");
        if (props[PROVIDER_KEY] === undefined && inputs?.[PROVIDER_KEY] !== undefined) props[PROVIDER_KEY] = inputs[PROVIDER_KEY];
        partial.properties = props;
      }
      throw error;
    };
  return {
    check:
      provider.check &&
      (async (olds, news) => {
        const result = await provider.check!(olds, news);
        return result.inputs === undefined ? result : { ...result, inputs: safeProps(result.inputs, "inputs") };
      }),
    diff: provider.diff,
    create: async (inputs) => {
      const result = await provider.create(inputs).catch(failure(inputs));
      return { ...result, outs: safeProps(result.outs, "outs") };
    },
    read:
      provider.read &&
      (async (id, props) => {
        const result = await provider.read!(id, props);
        return {
          ...result,
          ...(result.props === undefined ? {} : { props: safeProps(result.props, "props") }),
          ...(result.inputs === undefined ? {} : { inputs: safeProps(result.inputs, "inputs") }),
        };
      }),
    update:
      provider.update &&
      (async (id, olds, news) => {
        const result = await provider.update!(id, olds, news).catch(failure(news));
        return result.outs === undefined ? result : { ...result, outs: safeProps(result.outs, "outs") };
      }),
    delete: provider.delete,
  };
}
