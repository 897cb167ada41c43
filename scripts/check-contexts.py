#!/usr/bin/env python3
"""Checks that no import circle crosses two contexts (run by `make lint`).

In `store` and `domain`, each module under a context folder (`people/`, `catalog/`,
`booking/`, `commerce/`, `money/`) belongs to that context; the rest (`db`, `rows`,
`outbox`, `entity`, `lang`, ...) is shared plumbing. This reads every `crate::…`,
`super::…` and `use` path of each module, builds the graph of which module uses which,
and fails when a circle of modules (a strongly connected component) holds modules of
two contexts, or when plumbing uses a context. Circles inside one context are allowed.
Prints the context-to-context edges it found, so a reader sees the layering.
"""

import os
import re
import sys

CONTEXTS = ("people", "catalog", "booking", "commerce", "money")
CRATES = ("store", "domain")


def modules(src):
    """{module path (tuple): source text} for every .rs file under src, tests cut off."""
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.relpath(os.path.join(folder, name), src)[: -len(".rs")].split(os.sep)
            if path[-1] == "mod":
                path = path[:-1]
            if path in (["lib"], ["main"]):
                path = []
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            cut = re.search(r"#\[cfg\(test\)\]\s*mod tests", text)
            found[tuple(path)] = text[: cut.start()] if cut else text
    return found


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand(tree):
    """The paths of a use tree: `a::{b, c::{d, e}}` -> a::b, a::c::d, a::c::e."""
    tree = tree.strip()
    brace = tree.find("{")
    if brace < 0:
        return [re.split(r"\s+as\s+", tree)[0].strip()]
    head = tree[:brace].rstrip(":").strip()
    body = tree[brace + 1 : tree.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for part in parts:
        if part.strip():
            for sub in expand(part):
                out.append(head if sub == "self" else f"{head}::{sub}" if head else sub)
    return out


def resolve(path, here, known):
    """The module (a key of `known`) that `path`, written in module `here`, names."""
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] == "super":
        base = list(here)
        while segs and segs[0] == "super":
            base, segs = base[:-1], segs[1:]
    elif segs[0] == "self":
        base, segs = list(here), segs[1:]
    else:
        return None
    best = tuple(base) if tuple(base) in known else None
    for i in range(len(segs)):
        candidate = tuple(base + segs[: i + 1])
        if candidate in known:
            best = candidate
        else:
            break
    return best


def context(module):
    return module[0] if module and module[0] in CONTEXTS else None


def edges_of(mods):
    edges = {m: set() for m in mods}
    for here, text in mods.items():
        text = strip_comments(text)
        paths = []
        for tree in re.findall(r"\buse\s+((?:crate|super|self)::[^;]*);", text, re.S):
            paths += expand(tree)
        paths += re.findall(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text)
        for path in paths:
            there = resolve(path, here, mods)
            # A context's index (its mod.rs) declares its modules; that is not a use.
            if there is not None and there != here and there != ():
                if len(here) == 1 and there[:1] == here:
                    continue
                edges[here].add(there)
    return edges


def circles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10_000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    failures = []
    for crate in CRATES:
        mods = modules(os.path.join(root, crate, "src"))
        edges = edges_of(mods)
        name = lambda m: "::".join(m) or "(root)"
        for comp in circles(edges):
            contexts = {context(m) for m in comp}
            if len(contexts) > 1:
                failures.append(
                    f"{crate}: an import circle crosses contexts: "
                    + ", ".join(sorted(name(m) for m in comp))
                )
        between = set()
        for here, theirs in edges.items():
            for there in theirs:
                a, b = context(here), context(there)
                if a is None and b is not None and here and here[0] != "entity":
                    failures.append(f"{crate}: plumbing {name(here)} uses the {b} context ({name(there)})")
                if a and b and a != b:
                    between.add((a, b))
        layering = ", ".join(f"{a} → {b}" for a, b in sorted(between)) or "none"
        print(f"{crate}: {len(mods)} modules; context uses: {layering}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("no import circle crosses two contexts")


if __name__ == "__main__":
    main()
