#!/usr/bin/env python3
"""Adds up the pass/fail counts that cargo test, Maven Surefire and XCTest print.

Prints one line per runner and a last line "tests: N passed, N failed"; exits 1 if anything
failed or if no test ran at all.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()

cargo = re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", text)
cargo_passed = sum(int(p) for p, _ in cargo)
cargo_failed = sum(int(f) for _, f in cargo)

# Surefire's summary lines ("Tests run: …" without "-- in Class"): one per Maven run (the
# bindings' tests, the Android demo's view models), added up.
surefire = re.findall(r"^\[\w+\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)\s*$", text, re.M)
maven_run = sum(int(r) - int(s) for r, _, _, s in surefire)
maven_failed = sum(int(f) + int(e) for _, f, e, _ in surefire)

# XCTest's "All tests" totals: one per `swift test` (the bindings, the iOS demo's models).
xctest = re.findall(r"Test Suite 'All tests' \w+ at .*\n\s*Executed (\d+) tests?, with (\d+) failures?", text)
swift_run = sum(int(r) for r, _ in xctest)
swift_failed = sum(int(f) for _, f in xctest)

interop = re.findall(r"^interop: (\d+) passed, (\d+) failed", text, re.M)
interop_passed, interop_failed = (int(interop[-1][0]), int(interop[-1][1])) if interop else (0, 0)

fuzz = re.findall(r"^fuzz: (\d+) passed, (\d+) failed", text, re.M)

xlang = re.findall(r"^cross-language: (\d+) passed, (\d+) failed", text, re.M)
xlang_passed, xlang_failed = (int(xlang[-1][0]), int(xlang[-1][1])) if xlang else (0, 0)

rows = [
    ("rust", cargo_passed, cargo_failed),
    ("interop", interop_passed, interop_failed),
    ("kotlin", maven_run - maven_failed, maven_failed),
    ("swift", swift_run - swift_failed, swift_failed),
    ("cross-language", xlang_passed, xlang_failed),
]
# The fuzz smoke run is skipped (visibly) where no nightly toolchain exists.
if fuzz:
    rows.append(("fuzz", int(fuzz[-1][0]), int(fuzz[-1][1])))
for name, passed, failed in rows:
    print(f"  {name}: {passed} passed, {failed} failed")
passed = sum(r[1] for r in rows)
failed = sum(r[2] for r in rows)
print(f"tests: {passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 or any(r[1] == 0 for r in rows) else 0)
