#!/usr/bin/env python3
"""Resolves the Android (AAR) dependency closure of the app and its UI tests the way Gradle would
(highest version wins, version ranges read as their bound), since Maven cannot resolve the
Gradle-published POMs of AndroidX (conflicting hard ranges). Downloads only POMs, through Maven
(Google's Maven repository in settings.xml), in rounds until nothing new appears, and prints the
closure as `group:artifact:version:type` lines (type aar or jar) for ui-tests/android-deps.txt.

Usage: resolve-android-deps.py SETTINGS_XML ROOT... (ROOT = group:artifact:version)
"""
import os, re, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

NS = "{http://maven.apache.org/POM/4.0.0}"
settings, roots = sys.argv[1], sys.argv[2:]
repo = os.environ.get("M2_REPO", os.path.expanduser("~/.m2/repository"))
# Pinned: what the app and the view models build with; never downgraded or upgraded by a POM.
PINS = {
    "org.jetbrains.kotlin:kotlin-stdlib": "2.4.21",
    "org.jetbrains.kotlinx:kotlinx-coroutines-core": "1.11.0",
    "org.jetbrains.kotlinx:kotlinx-coroutines-core-jvm": "1.11.0",
    "org.jetbrains.kotlinx:kotlinx-coroutines-android": "1.11.0",
    "org.jetbrains.kotlinx:kotlinx-coroutines-test": "1.11.0",
    "org.jetbrains.kotlinx:kotlinx-coroutines-test-jvm": "1.11.0",
}
# Resolved by Maven itself from Maven Central (plain jars with sound POMs) or not wanted.
SKIP = re.compile(r"^(org\.jetbrains\.kotlin:kotlin-stdlib-(jdk7|jdk8|common)|junit:junit|org\.hamcrest:.*|"
                  r"com\.google\.guava:.*|javax\.inject:.*|com\.google\.code\.findbugs:.*|org\.jspecify:.*|"
                  r"org\.jetbrains:annotations|com\.squareup:javawriter|org\.checkerframework:.*)$")

def vkey(v):
    return [int(p) if p.isdigit() else -1 for p in re.split(r"[.\-]", v)] + [0 if re.search(r"alpha|beta|rc", v) else 1]

def pom_path(g, a, v):
    return os.path.join(repo, *g.split("."), a, v, f"{a}-{v}.pom")

UNAVAILABLE = set()

def _mvn_poms(gavs):
    deps = "".join(f"<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version>"
                   f"<type>pom</type><exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId>"
                   f"</exclusion></exclusions></dependency>" for g, a, v in gavs)
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "pom.xml"), "w") as f:
            f.write(f'<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
                    f'<groupId>x</groupId><artifactId>resolve</artifactId><version>1</version>'
                    f'<dependencies>{deps}</dependencies></project>')
        return subprocess.run(["mvn", "-B", "-ntp", "-q", "-s", settings, "-f", os.path.join(d, "pom.xml"),
                               "dependency:resolve"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0

def fetch(gavs):
    """Downloads the POMs not yet in the local repository; a version the repository does not
    serve is remembered in UNAVAILABLE (the mirror here lacks some older versions)."""
    missing = [x for x in gavs if not os.path.exists(pom_path(*x)) and x not in UNAVAILABLE]
    if not missing or _mvn_poms(missing):
        return
    for x in missing:
        if not _mvn_poms([x]):
            print(f"not served: {':'.join(x)}", file=sys.stderr)
            UNAVAILABLE.add(x)

def read(g, a, v):
    root = ET.parse(pom_path(g, a, v)).getroot()
    packaging = (root.findtext(NS + "packaging") or "jar").strip()
    out = []
    for dep in root.findall(f"{NS}dependencies/{NS}dependency"):
        scope = (dep.findtext(NS + "scope") or "compile").strip()
        if scope not in ("compile", "runtime") or (dep.findtext(NS + "optional") or "").strip() == "true":
            continue
        dv = (dep.findtext(NS + "version") or "").strip().strip("[]()").split(",")[0]
        out.append((dep.findtext(NS + "groupId").strip(), dep.findtext(NS + "artifactId").strip(), dv))
    return packaging, out

def closure(chosen):
    """Versions wanted from the roots, reading each artifact's POM at its chosen version only."""
    want = {}
    for r in roots:
        g, a, v = r.split(":")
        want[f"{g}:{a}"] = [PINS.get(f"{g}:{a}", v)]
    seen, frontier = set(), list(want)
    while frontier:
        fetch([tuple(k.split(":")) + (chosen.get(k, want[k][0]),) for k in frontier])
        nxt = []
        for k in frontier:
            if k in seen:
                continue
            seen.add(k)
            g, a = k.split(":")
            v = chosen.get(k, max(want[k], key=vkey))
            if (g, a, v) in UNAVAILABLE:
                continue
            for dg, da, dv in read(g, a, v)[1]:
                dk = f"{dg}:{da}"
                if SKIP.match(dk) or not dv:
                    continue
                want.setdefault(dk, []).append(PINS.get(dk, dv))
                if dk not in seen:
                    nxt.append(dk)
        frontier = list(dict.fromkeys(nxt))
    return want

# A BOM (group:artifact:version:bom among the roots, like the app's compose-bom) pins its
# artifacts and their -android / -jvm variants, as Gradle's platform() does.
for r in [r for r in roots if r.endswith(":bom")]:
    roots.remove(r)
    g, a, v, _ = r.split(":")
    fetch([(g, a, v)])
    for dep in ET.parse(pom_path(g, a, v)).getroot().findall(f"{NS}dependencyManagement/{NS}dependencies/{NS}dependency"):
        k = f"{dep.findtext(NS + 'groupId').strip()}:{dep.findtext(NS + 'artifactId').strip()}"
        for variant in (k, k + "-android", k + "-jvm"):
            PINS.setdefault(variant, dep.findtext(NS + "version").strip())

chosen = {}
while True:
    want = closure(chosen)
    new = {}
    for k, vs in want.items():
        g, a = k.split(":")
        fetch([(g, a, v) for v in set(vs)])
        ok = [v for v in vs if (g, a, v) not in UNAVAILABLE]
        if not ok:
            sys.exit(f"no served version of {k} among {sorted(set(vs))}")
        new[k] = max(ok, key=vkey)
    if new == chosen:
        break
    chosen = new

for k in sorted(chosen):
    g, a = k.split(":")
    v = chosen[k]
    packaging, deps = read(g, a, v)
    # Kotlin multiplatform roots (ui, collection, ...) only point at their -android / -jvm variant.
    if any(dg == g and da in (a + "-android", a + "-jvm") for dg, da, _ in deps):
        continue
    print(f"{k}:{v}:{'aar' if packaging == 'aar' else 'jar'}")
