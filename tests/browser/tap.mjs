// tap.mjs: TAP lines for the browser checks. ok(cond, what, detail)
// prints "ok N - what" or "not ok N - what" (and the detail as comments);
// failures() says how many failed.
let n = 0, fails = 0;
export const ok = (cond, what, detail) => {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else {
    fails++;
    console.log(`not ok ${n} - ${what}`);
    if (detail) console.log(`#   ${String(detail).split('\n').join('\n#   ')}`);
  }
};
export const failures = () => fails;
