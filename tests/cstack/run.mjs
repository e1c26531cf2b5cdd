// Runs stack.c's reactor before and after wasm-taskwrap (init-task ABI) in
// Node.js and checks where each call's stack starts.
//
//   node run.mjs ORIG.wasm NEW.wasm PLAN.json both|sync-only
//
// "both": the module exports __wasm_init_task and __wasm_init_async_task;
// "sync-only": only __wasm_init_task, so the async export must use it.
//
// Every top-level export call here stands for a new task, as a component
// host would make it. The original module is run the way current
// wit-component (which ignores the init-task names) runs it: nobody calls
// __wasm_init_task, so a task starts wherever the previous one left
// __stack_pointer. The rewritten module must start every task at the top of
// the task stack region.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [origPath, newPath, planPath, variant] = process.argv.slice(2);
if (!variant || !['both', 'sync-only'].includes(variant)) {
  console.error('usage: node run.mjs ORIG.wasm NEW.wasm PLAN.json both|sync-only');
  process.exit(2);
}

let failures = 0;
function check(cond, what) {
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`);
  if (!cond) failures++;
}

async function load(path) {
  const wasi = new WASI({ version: 'preview1' });
  const { instance } = await WebAssembly.instantiate(readFileSync(path), wasi.getImportObject());
  wasi.initialize(instance); // calls _initialize (wrapped in the new module)
  return instance.exports;
}

// Calls task_trap(1), which traps with a 4 KiB frame live; true if it trapped.
function trapTask(ex) {
  try {
    ex.task_trap(1);
    return false;
  } catch (e) {
    return e instanceof WebAssembly.RuntimeError;
  }
}

const LEAK = 1024;   // bytes leak_stack lowers the stack pointer by
const TRAP_FRAME = 4096; // task_trap's local array
const ASYNC = '[async-lift-stackful]task-entry-sp';

// --- the plan -------------------------------------------------------------
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const byName = Object.fromEntries(plan.exports.map((e) => [e.name, e]));
check(plan.abi === 'init-task', `plan abi is init-task (${plan.abi})`);
check(byName.__wasm_init_task?.role === 'init' && byName.__wasm_init_task.removed === true &&
      plan.init === byName.__wasm_init_task.index, `plan init = func ${plan.init}, export removed`);
if (variant === 'both') {
  check(byName.__wasm_init_async_task?.removed === true &&
        plan.init_async === byName.__wasm_init_async_task.index &&
        plan.async_uses_init_task === false,
        `plan init_async = func ${plan.init_async}, async_uses_init_task false`);
} else {
  check(!('__wasm_init_async_task' in byName) && plan.init_async === null &&
        plan.async_uses_init_task === true, 'plan init_async null, async_uses_init_task true');
}
check(byName[ASYNC]?.role === 'async-stackful' &&
      JSON.stringify(byName[ASYNC].hooks) === (variant === 'both' ? '["init-async"]' : '["init"]'),
      `async export: role ${byName[ASYNC]?.role}, hooks ${byName[ASYNC]?.hooks}`);
for (const n of ['_initialize', 'task_stack_top', 'task_entry_sp', 'task_trap', 'leak_stack']) {
  check(JSON.stringify(byName[n]?.hooks) === '["init"]' && byName[n].wrapper !== null, `${n} wrapped with init`);
}
check(plan.wrappers === 6, `plan has 6 wrappers (${plan.wrappers})`);

// --- the original module: stacks carry over from task to task ------------
const o = await load(origPath);
const top = o.task_stack_top();
const o0 = o.task_entry_sp();
o.leak_stack(LEAK);
const o1 = o.task_entry_sp();
const oTrapped = trapTask(o);
const o2 = o.task_entry_sp();
const o2async = o[ASYNC]();
console.log(`original: task stack top ${top}; task_entry_sp ${o0}, after leak_stack(${LEAK}) ${o1},` +
            ` after a trap ${o2} (async export ${o2async})`);
check(top % 16 === 0, 'task stack top is 16-aligned');
check(o1 === o0 - LEAK, `original: the task after leak_stack sees its SP lowered by ${LEAK} (${o0 - o1})`);
check(oTrapped, 'original: task_trap(1) traps');
check(o2 <= o1 - TRAP_FRAME, `original: the task after a trap sees its SP lowered by >= ${TRAP_FRAME} (${o1 - o2})`);
check(o2async === o2, 'original: the async export sees the same stale SP');

// What a fresh task sees: run the init function by hand first, the way
// wit-component 0.245-0.256 called it before each export.
o.__wasm_init_task();
const fresh = o.task_entry_sp();
const frame = top - fresh;
console.log(`original, after __wasm_init_task: task_entry_sp ${fresh} (frame ${frame} bytes)`);
check(frame >= 32 && frame <= 64 && fresh % 16 === 0,
      'a fresh task_entry_sp is the task stack top minus a 32..64 byte 16-aligned frame');
check(o0 !== fresh, 'original: without __wasm_init_task, even the first call is not on the task stack');
if (variant === 'both') {
  o.leak_stack(LEAK);
  o.__wasm_init_async_task();
  check(o[ASYNC]() === fresh, 'original: __wasm_init_async_task also resets to the task stack top');
} else {
  check(!('__wasm_init_async_task' in o), 'original (sync-only) exports no __wasm_init_async_task');
}

// --- the rewritten module: every task starts on a fresh stack -------------
const n = await load(newPath);
check(!('__wasm_init_task' in n) && !('__wasm_init_async_task' in n),
      'rewritten: the init-task exports are gone');
check(n.task_stack_top() === top, `rewritten: same task stack top (${n.task_stack_top()})`);
const seen = [];
for (let round = 0; round < 3; round++) {
  seen.push(n.task_entry_sp());
  n.leak_stack(LEAK);
  seen.push(n.task_entry_sp());
  check(trapTask(n), `rewritten: round ${round}: task_trap(1) traps`);
  seen.push(n.task_entry_sp());
  seen.push(n[ASYNC]());
  n.leak_stack(LEAK);
  seen.push(n[ASYNC]());
}
console.log(`rewritten: task_entry_sp / async export across 3 rounds of leaks and traps: ${seen.join(' ')}`);
check(seen.length === 15 && seen.every((v) => v === fresh),
      `rewritten: all ${seen.length} calls start on a fresh stack (${fresh})`);

if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all checks passed');
