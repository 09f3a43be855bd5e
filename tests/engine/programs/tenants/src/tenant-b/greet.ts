export function greet(who: string): string {
  return `hello ${who} from tenant b v1`;
}
