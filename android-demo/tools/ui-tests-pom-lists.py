#!/usr/bin/env python3
"""Rewrites the generated lists of android-demo/ui-tests/pom.xml from ui-tests/android-deps.txt
(the output of resolve-android-deps.py): the AndroidX plain jars (normal dependencies without
transitive resolution), the AARs' classes.jar (system scope, unzipped into target/aar by
scripts/android-ui-test.sh) and the AARs Maven copies (copy-aars). Kotlin and coroutines come
from Maven Central and are listed by hand in the pom.

Usage: ui-tests-pom-lists.py   (from anywhere; edits the pom in place)
"""
import os, re

HERE = os.path.dirname(os.path.abspath(__file__))
UI = os.path.join(HERE, "..", "ui-tests")
CENTRAL = ("org.jetbrains.kotlin:", "org.jetbrains.kotlinx:")
EXCLUDE_ALL = "<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>"

deps = [l.strip().split(":") for l in open(os.path.join(UI, "android-deps.txt"))
        if l.strip() and not l.startswith("#")]
aars = [d for d in deps if d[3] == "aar"]
jars = [d for d in deps if d[3] == "jar" and not ":".join(d).startswith(CENTRAL)]

def dep(g, a, v):
    return f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version>"

lists = {
    "jars": [dep(g, a, v) + EXCLUDE_ALL + "</dependency>" for g, a, v, _ in jars],
    "aars": [dep(g, a, v) + f"<scope>system</scope><systemPath>${{aar.dir}}/{g}.{a}/classes.jar</systemPath></dependency>"
             for g, a, v, _ in aars],
    "items": [f"                <artifactItem><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version>"
              f"<type>aar</type><destFileName>{g}.{a}.aar</destFileName></artifactItem>" for g, a, v, _ in aars],
}
pom = os.path.join(UI, "pom.xml")
text = open(pom).read()
for name, lines in lists.items():
    pattern = re.compile(rf"(<!-- BEGIN android-deps {name} [^>]*-->\n)(.*?)(\s*<!-- END android-deps {name} -->)", re.S)
    text, n = pattern.subn(lambda m: m.group(1) + "\n".join(lines) + m.group(3), text)
    assert n == 1, f"markers for {name} not found once in {pom}"
open(pom, "w").write(text)
print(f"pom.xml: {len(jars)} jars, {len(aars)} AARs")
