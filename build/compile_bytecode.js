// Python 3.12 bytecode for the modules the app imports as it starts, made by Pyodide's own
// interpreter under Node (build/bytecode.py prepares the folder and reads the result).
//   node build/compile_bytecode.js <pyodide package dir> <work dir>
// <work dir>/plan.json: {"wheels": [{"dir", "keep_source"}], "binary": [wheel paths], "probe": code}
// The unpacked wheels go on sys.path, the probe imports what the app imports at start, and
// each imported module's file is compiled: X.pyc beside X.py (the build then drops X.py),
// or __pycache__/X.cpython-312.pyc where the source stays. Bytecode is "unchecked-hash":
// reproducible, never compared with a source at import. If the probe fails, every file is
// compiled (slower to build, same result for what the app imports).
"use strict";
const fs = require("fs");
const path = require("path");

const COMPILE = `
import compileall, json, os, py_compile, sys, traceback
sys.dont_write_bytecode = True  # the probe's imports must not leave caches behind
plan = json.loads(plan_json)
dirs = [w["dir"] for w in plan["wheels"]]
sys.path[0:0] = dirs
try:
    exec(plan["probe"], {})
    probed = True
except Exception:
    traceback.print_exc()
    probed = False
files = sorted({os.path.realpath(m.__file__) for m in list(sys.modules.values())
                if getattr(m, "__file__", None) and m.__file__.endswith(".py")})
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
done = 0
for wheel in plan["wheels"]:
    top = os.path.realpath(wheel["dir"]) + os.sep
    legacy = not wheel["keep_source"]
    if not probed:
        compileall.compile_dir(top, quiet=1, legacy=legacy, invalidation_mode=mode, workers=1)
        continue
    for source in (f for f in files if f.startswith(top)):
        target = source + "c" if legacy else None  # None: the __pycache__ name
        py_compile.compile(source, cfile=target, invalidation_mode=mode, doraise=False, quiet=1)
        done += 1
json.dumps({"probed": probed, "compiled": done})
`;

async function main() {
  const [core, work] = process.argv.slice(2);
  globalThis.XMLHttpRequest = globalThis.XMLHttpRequest || class {};  // Panel imports it from js
  const { loadPyodide } = require(path.resolve(core, "pyodide.js"));
  const py = await loadPyodide({ indexURL: path.resolve(core) + "/", stdout: () => {}, stderr: console.error });
  const plan = JSON.parse(fs.readFileSync(path.join(work, "plan.json"), "utf8"));
  for (const wheel of plan.binary) await py.loadPackage(path.resolve(work, wheel), { messageCallback: () => {} });
  py.FS.mkdirTree("/work");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(work) }, "/work");
  plan.wheels = plan.wheels.map((w) => ({ ...w, dir: "/work/" + w.dir }));
  py.globals.set("plan_json", JSON.stringify(plan));
  console.log(py.runPython(COMPILE));
  process.exit(0);  // the app may have left timers behind (Panel, asyncio): nothing more to wait for
}

main().catch((err) => { console.error(err); process.exit(1); });
