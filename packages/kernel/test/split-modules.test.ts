// A subset of the modules on the in-process bus loses events (or the modules it depends on): the
// check names what is missing, and lets through every split in which nothing crosses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defineModule, findSplitWithoutBus, type EventHandler, type ModuleDefinition } from '../src/index.ts';

const handler: EventHandler = async () => {};
const consumes = (...types: string[]) => Object.fromEntries(types.map((t) => [t, handler]));
const title = { zh: '模块', en: 'Module' };

// Shaped like the four modules that exist: workflow calls catalog and identity, ledger records
// identity's and workflow's events, and nothing consumes catalog's.
const catalog = defineModule({ name: 'catalog', title });
const identity = defineModule({ name: 'identity', title });
const workflow = defineModule({ name: 'workflow', title, dependsOn: ['catalog', 'identity'] });
const ledger = defineModule({
  name: 'ledger',
  title,
  consumers: consumes('identity.account.registered', 'workflow.application.submitted', 'workflow.task.approved'),
});
const all: readonly ModuleDefinition[] = [catalog, identity, workflow, ledger];

function refusal(selected: readonly ModuleDefinition[], modules: readonly ModuleDefinition[] = all): string {
  const message = findSplitWithoutBus(selected, modules);
  assert.ok(message, `refused: ${selected.map((m) => m.name).join(', ')}`);
  assert.doesNotMatch(message, /\n/);
  assert.match(message, /set TONGBAN_NATS_URL/);
  return message;
}

describe('findSplitWithoutBus', () => {
  test('every module in the process, in any order, is not a split', () => {
    assert.equal(findSplitWithoutBus(all, all), undefined);
    assert.equal(findSplitWithoutBus([ledger, workflow, identity, catalog], all), undefined);
  });

  test('workflow alone: the modules it depends on and the consumer of its events are named', () => {
    assert.equal(
      refusal([workflow]),
      'modules workflow cannot run without catalog, identity, ledger on the in-process bus ' +
        '(workflow depends on catalog, identity; ledger consumes workflow events): ' +
        'set TONGBAN_NATS_URL to run modules in separate processes, or run them together',
    );
  });

  test('a consumer elsewhere of events published here is refused (identity without the ledger)', () => {
    const message = refusal([identity]);
    assert.match(message, /without ledger on/);
    assert.match(message, /ledger consumes identity events/);
  });

  test('a consumer here of events published elsewhere is refused (the ledger alone)', () => {
    const message = refusal([ledger]);
    // Catalog is elsewhere too, but nothing here needs it.
    assert.match(message, /^modules ledger cannot run without identity, workflow on/);
    assert.match(message, /ledger consumes identity, workflow events/);
  });

  test('everything but the ledger is refused: its events would be marked published and reach no one', () => {
    const message = refusal([catalog, identity, workflow]);
    assert.match(message, /^modules catalog, identity, workflow cannot run without ledger on/);
  });

  test('a module depending on one elsewhere is refused even when no event crosses', () => {
    const caller = defineModule({ name: 'caller', title, dependsOn: ['callee'] });
    const callee = defineModule({ name: 'callee', title });
    assert.match(refusal([caller], [caller, callee]), /without callee on .*\(caller depends on callee\)/);
    // The other way round nothing is missing: the callee does not need its caller.
    assert.equal(findSplitWithoutBus([callee], [caller, callee]), undefined);
  });

  test('catalog alone passes: it depends on nothing, and nothing consumes its events', () => {
    assert.equal(findSplitWithoutBus([catalog], all), undefined);
    // The rest without catalog: no event crosses, the dependency alone refuses it.
    assert.match(
      refusal([identity, workflow, ledger]),
      /without catalog on the in-process bus \(workflow depends on catalog\):/,
    );
  });

  test('an event belongs to the module its first segment names, up to the dot', () => {
    const work = defineModule({ name: 'work', title });
    const listener = defineModule({
      name: 'listener',
      title,
      consumers: consumes('workflow.task.approved', 'listener.own.thing', 'unknown.thing.done'),
    });
    // 'workflow.…' is not work's; its own events and a publisher that does not exist cross nothing.
    assert.equal(findSplitWithoutBus([listener], [work, listener]), undefined);
    assert.match(
      refusal([work, listener], [work, workflow, listener]),
      /^modules work, listener cannot run without workflow on .*\(listener consumes workflow events\)/,
    );
  });
});
