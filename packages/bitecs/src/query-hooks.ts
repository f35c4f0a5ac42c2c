/**
 * Add/remove hooks of one component, without bitECS's per-notify garbage.
 *
 * `observe(world, onAdd(C), cb)` subscribes `cb` to the add observable of the query [C]; bitECS's
 * observable then runs `Array.from(observers).reduce(...)` on every notify (an array, a closure and
 * object spreads per add and per remove: about a fifth of an add/remove pair here). Instead, the
 * query [C] is registered (`registerQuery`, public) and its `addObservable` / `removeObservable`
 * (fields of the public `Query` type) are wrapped: the component's handler is called directly, and
 * the original observable — where later `observe(world, onAdd(C), ...)` calls still subscribe — is
 * notified only when someone subscribed. Order: on add the record exists before user observers
 * run; on remove user observers run first, so they can still read the record.
 *
 * When the query object does not have that shape (another bitECS version), it falls back to
 * `observe`, which is correct, only slower.
 */
import { observe, onAdd, onRemove, registerQuery, type World } from 'bitecs';

type Observer = (eid: number, ...args: unknown[]) => unknown;
export interface Observable {
  subscribe(observer: Observer): () => void;
  notify(eid: number, ...args: unknown[]): unknown;
}

export function isObservable(value: unknown): value is Observable {
  const o = value as Observable | null | undefined;
  return typeof o?.subscribe === 'function' && typeof o.notify === 'function';
}

/** Observables made by wrapObservable: a wrapper of one of them must always forward to it. */
const ours = new WeakSet<Observable>();

/**
 * An observable that calls `handler(eid)` on every notify, and forwards to `original` — bitECS's
 * observable, where `observe()` subscribes — only when someone subscribed (bitECS's notify builds
 * garbage even with no observer). A wrapper of another wrapper always forwards: the inner one runs
 * its own handler.
 */
export function wrapObservable(original: Observable, handler: (eid: number) => void, handlerFirst: boolean): Observable {
  let subscribers = 0;
  const forwardAlways = ours.has(original);
  const wrapper: Observable = {
    subscribe(observer: Observer): () => void {
      subscribers++;
      const unsubscribe = original.subscribe(observer);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        subscribers--;
        unsubscribe();
      };
    },
    // bitECS notifies add/remove observables with the eid only and ignores the result.
    notify(eid: number): unknown {
      if (subscribers === 0 && !forwardAlways) {
        handler(eid);
        return undefined;
      }
      if (handlerFirst) {
        handler(eid);
        return original.notify(eid);
      }
      const result = original.notify(eid);
      handler(eid);
      return result;
    },
  };
  ours.add(wrapper);
  return wrapper;
}

/** Calls `added(eid)` / `removed(eid)` when `component` is added to / removed from a non-prefab entity. Returns the undo. */
export function hookAddRemove(
  world: World,
  component: object,
  added: (eid: number) => void,
  removed: (eid: number) => void,
): () => void {
  const q = registerQuery(world, [component]) as unknown as { addObservable?: unknown; removeObservable?: unknown };
  const addOriginal = q.addObservable;
  const removeOriginal = q.removeObservable;
  if (!isObservable(addOriginal) || !isObservable(removeOriginal)) {
    const offAdd = observe(world, onAdd(component), added);
    const offRemove = observe(world, onRemove(component), removed);
    return () => {
      offAdd();
      offRemove();
    };
  }
  q.addObservable = wrapObservable(addOriginal, added, true);
  q.removeObservable = wrapObservable(removeOriginal, removed, false);
  return () => {
    q.addObservable = addOriginal;
    q.removeObservable = removeOriginal;
  };
}
