import type { EventName, EventPayloadOf } from '../../src-shared/contract/index.js';

export type EventListener = <E extends EventName>(name: E, payload: EventPayloadOf<E>) => void;

/** Fan-out of contract events from services to every connected transport (window, WebSocket clients). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (e) {
        // One broken transport must not stop the others from hearing the event.
        console.error(`event listener failed for ${name}:`, e);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
