/**
 * What each unit looked like when it was last written to the journal, by group and name (units.ts). A
 * write compares the state with it (all of it, or all but the script containers the turn's changes did not
 * touch), so the comparison costs one map lookup per unit walked: the names are
 * the state's own keys, and no journal key is built for a unit that did not change. (Keyed by journal key,
 * the same scan built and hashed a fresh string per unit per write: a quadratic cost over a fleet's run.)
 */
import type { PersistedState } from "../state";
import { groupsOf, type Unit, type UnitStamp } from "./units";

/** A unit the state no longer holds. */
export interface GoneUnit {
  group: string;
  name: string;
  key: string;
}

/** Script container → the names of its scripts a turn's changes touched (see `changes`). */
export type TouchedScripts = ReadonlyMap<object, ReadonlySet<string>>;

const NONE: ReadonlySet<string> = new Set();

interface Written {
  stamp: UnitStamp;
  key: string;
}

export class WrittenUnits {
  private groups = new Map<string, Map<string, Written>>();

  /**
   * The units of `state` that changed since they were written (or are new), and those it no longer holds.
   * With `touchedScripts`, the changes since the last write touched no script but these: of the script
   * groups only these names are looked at (every other group is walked whole).
   */
  changes(state: PersistedState, touchedScripts?: TouchedScripts): { changed: Unit[]; gone: GoneUnit[] } {
    const changed: Unit[] = [];
    const gone: GoneUnit[] = [];
    const live = new Set<string>();
    for (const group of groupsOf(state)) {
      live.add(group.key);
      const before = this.groups.get(group.key);
      let kept = 0;
      const visit = (name: string, ref: object | undefined, mark: string, value: unknown) => {
        const written = before?.get(name);
        if (written) {
          kept++;
          if (written.stamp.ref === ref && written.stamp.mark === mark) return;
        }
        changed.push({ group: group.key, name, key: written?.key ?? group.unitKey(name), stamp: { ref, mark }, value });
      };
      const only = touchedScripts && group.scripts ? (touchedScripts.get(group.scripts) ?? NONE) : undefined;
      if (only) {
        group.forEach(visit, only);
        for (const name of only) {
          const written = before?.get(name);
          if (written && !group.has(name)) gone.push({ group: group.key, name, key: written.key });
        }
        continue;
      }
      group.forEach(visit);
      // Every written name still there when as many were found: only a smaller count means a removal.
      if (before && kept < before.size) {
        for (const [name, { key }] of before) if (!group.has(name)) gone.push({ group: group.key, name, key });
      }
    }
    for (const [groupKey, before] of this.groups) {
      if (!live.has(groupKey)) for (const [name, { key }] of before) gone.push({ group: groupKey, name, key });
    }
    return { changed, gone };
  }

  /** Takes note of a write (once it is appended). */
  remember(changed: readonly Unit[], gone: readonly GoneUnit[]): void {
    for (const unit of changed) {
      let group = this.groups.get(unit.group);
      if (!group) this.groups.set(unit.group, (group = new Map()));
      group.set(unit.name, { stamp: unit.stamp, key: unit.key });
    }
    for (const unit of gone) {
      const group = this.groups.get(unit.group);
      group?.delete(unit.name);
      if (group?.size === 0) this.groups.delete(unit.group);
    }
  }
}
