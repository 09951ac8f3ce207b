// nnweb outbox (main thread): every change the page makes goes to Python in order, and each
// one is either applied or refused with a visible notice; none is dropped on the way.
//
// Python applies one patch at a time and acknowledges it by its number. Changes made
// meanwhile wait here. A newer value of the same widget property replaces an older waiting
// one (a slider dragged across 50 values sends the last), but never across a click or a key,
// whose order matters. If no acknowledgement comes for ACK_WAIT_MS, the page says that
// Python is not answering, keeps the changes, and says so again when it answers.
"use strict";
(function () {
  const ACK_WAIT_MS = 4000;

  // A ModelChanged event of a model that keeps no history: its newest value is all that counts.
  const replaceable = (event) => Boolean(event.model && event.attr) && !event.model.__nnwebEveryValue;

  function createOutbox({ post, serialize, onStalled, onAnswered, onUnsendable }) {
    let waiting = [];     // events not sent yet, oldest first
    let inFlight = null;  // {seq, sentAt, events} of the patch Python has not acknowledged yet
    let seq = 0;
    let stalled = false;

    function add(event) {
      if (replaceable(event)) {
        for (let i = waiting.length - 1; i >= 0; i--) {
          const older = waiting[i];
          if (!replaceable(older)) break;  // a click or key: what came before it stays before it
          if (older.model === event.model && older.attr === event.attr) { waiting.splice(i, 1); break; }
        }
      }
      waiting.push(event);
      send();
    }

    // One patch of everything waiting. An event that cannot be serialised (its model left the
    // document while it waited) is named and dropped, and the others still go.
    function send() {
      if (inFlight || !waiting.length) return;
      let events = waiting;
      waiting = [];
      let patch;
      try {
        patch = serialize(events);
      } catch (err) {
        const kept = events.filter((e) => { try { serialize([e]); return true; } catch (_) { onUnsendable(e, err); return false; } });
        if (!kept.length) return;
        events = kept;
        patch = serialize(events);
      }
      seq += 1;
      inFlight = { seq: seq, sentAt: performance.now(), count: events.length, events: events };
      post(seq, patch);
    }

    function acknowledged(number) {
      if (!inFlight || number !== inFlight.seq) return;
      inFlight = null;
      if (stalled) { stalled = false; onAnswered(); }
      send();
    }

    setInterval(() => {
      if (inFlight && !stalled && performance.now() - inFlight.sentAt > ACK_WAIT_MS) {
        stalled = true;
        onStalled(waiting.length + inFlight.count);
      }
    }, 500);

    // "model id:attribute" of every value the page changed that Python has not applied yet: a
    // value Python sends meanwhile for one of them is older than the person's and must not
    // overwrite it (Python applies the person's next, and sends nothing back for it).
    function unapplied() {
      const keys = new Set();
      for (const event of (inFlight ? inFlight.events : []).concat(waiting)) {
        if (event.model && event.attr) keys.add(event.model.id + ":" + event.attr);
      }
      return keys;
    }

    return Object.freeze({
      add: add,
      acknowledged: acknowledged,
      unapplied: unapplied,
      get pending() { return waiting.length + (inFlight ? inFlight.count : 0); },
    });
  }

  Object.defineProperty(window, "nnwebCreateOutbox", { value: createOutbox, writable: false, configurable: false });
})();
