#!/usr/bin/env python3
"""Checks the layers of the core: crate dependencies only point down, and no module inside a
crate imports, directly or through others, a sibling that imports it back.

1. Crates: from `cargo metadata`, every workspace crate's normal dependencies on other
   workspace crates must go to a lower layer (LAYERS below); an unknown workspace crate is an
   error, so a new crate must be placed.
2. Modules: in each core crate's src/, every file is a module; `crate::a::b` and `super::x`
   paths outside `#[cfg(test)]` code are edges between the sibling modules they cross (a path
   into a module's own parent is no edge: a parent's re-exports are not imports). Any cycle
   among siblings is reported.

Exits 1 with one line per problem; prints a summary line otherwise.
"""
import json
import pathlib
import re
import subprocess
import sys

# Lower numbers are lower layers. A crate may depend only on crates of a lower layer.
LAYERS = {
    "laissez-crypto": 0,
    "laissez-test-support": 0,
    "laissez-store": 1,
    "laissez-formats": 1,
    "laissez-qr": 1,
    "wallet-core": 2,
    "laissez-ffi": 3,
    "laissez-sample-identity": 3,
    "uniffi-bindgen": 3,
    "laissez-cli": 4,
    "laissez-bench": 4,
}
CORE = ["laissez-crypto", "laissez-store", "laissez-formats", "laissez-qr", "wallet-core"]

PATH = re.compile(r"\b(crate|super)((?:::[a-z_][a-z0-9_]*)*)(?:::\{([^}]*)\})?")


def paths_in(text):
    """(kind, [segments]) for every `crate::…`/`super::…` path, group imports expanded."""
    for kind, rest, group in PATH.findall(text):
        prefix = [n for n in rest.split("::") if n]
        if group:
            for item in group.split(","):
                first = item.strip().split("::")
                yield kind, prefix + [n for n in first if re.fullmatch(r"[a-z_][a-z0-9_]*", n)]
        else:
            yield kind, prefix


def crate_problems(metadata):
    problems = []
    members = {p["name"]: p for p in metadata["packages"]}
    for name, package in members.items():
        if name not in LAYERS:
            problems.append(f"crate {name} has no layer in scripts/check_layers.py")
            continue
        for dep in package["dependencies"]:
            if dep["name"] in members and dep.get("kind") in (None, "normal"):
                if LAYERS.get(dep["name"], 99) >= LAYERS[name]:
                    problems.append(f"crate {name} depends on {dep['name']}, which is not below it")
    return problems


def module_of(src, file):
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def code_text(text):
    """The file's code without comments (doc links are no imports) and without its unit
    tests, which sit at the end behind #[cfg(test)] and may use anything as fixtures."""
    cut = text.find("#[cfg(test)]")
    text = text if cut < 0 else text[:cut]
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def module_cycles(crate_name, src):
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f): f for f in files}
    edges = {}
    for module, file in modules.items():
        is_dir_module = file.name in ("mod.rs", "lib.rs")
        for kind, names in paths_in(code_text(file.read_text(encoding="utf-8"))):
            if kind == "crate":
                target = ()
            else:
                target = module if is_dir_module else module[:-1]
                while names and names[0] == "super":
                    names, target = names[1:], target[:-1]
                target = target[:-1] if is_dir_module and kind == "super" else target
            for name in names:
                if target + (name,) in modules:
                    target += (name,)
                else:
                    break
            # Lift both ends to the children of their closest common parent.
            common = 0
            while common < min(len(module), len(target)) and module[common] == target[common]:
                common += 1
            if common >= len(module) or common >= len(target):
                continue  # into its own parent or its own child: not a sibling edge
            a, b = module[: common + 1], target[: common + 1]
            edges.setdefault(a, set()).add(b)
    problems = []
    seen_cycles = set()

    def visit(node, stack, on_stack):
        for nxt in sorted(edges.get(node, ())):
            if nxt in on_stack:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    path = " -> ".join("::".join(m) or "crate" for m in cycle)
                    problems.append(f"module circle in {crate_name}: {path}")
            elif nxt not in done:
                stack.append(nxt)
                on_stack.add(nxt)
                visit(nxt, stack, on_stack)
                on_stack.discard(nxt)
                stack.pop()
        done.add(node)

    done = set()
    for node in sorted(edges):
        if node not in done:
            visit(node, [node], {node})
    edge_count = sum(len(v) for v in edges.values())
    return problems, len(modules), edge_count


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            cwd=root, check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        ).stdout
    )
    problems = crate_problems(metadata)
    paths = {p["name"]: pathlib.Path(p["manifest_path"]).parent / "src" for p in metadata["packages"]}
    total_modules = total_edges = 0
    for crate in CORE:
        found, modules, edges = module_cycles(crate, paths[crate])
        problems += found
        total_modules += modules
        total_edges += edges
    for problem in problems:
        print(f"layers: {problem}")
    if problems:
        sys.exit(1)
    print(
        f"layers: {len(metadata['packages'])} crates point down; {total_modules} modules in "
        f"{len(CORE)} core crates, {total_edges} sibling imports, no circle"
    )


if __name__ == "__main__":
    main()
