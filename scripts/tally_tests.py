#!/usr/bin/env python3
"""Adds up the pass/fail/skip counts that cargo test, Maven Surefire, XCTest and our own
suites print.

Prints one line per runner and a last line "tests: N passed, N failed, N skipped"; exits 1 if
anything failed or if a runner ran no test at all (one skipped as a whole, like the fuzz smoke
run without a nightly toolchain, excepted).

Skipped tests are never counted as passed. A Rust test whose data is missing (outside CI)
prints "SKIPPED (missing test data): <path>" (laissez-test-support) and cargo counts it as
passed, so each such line moves one test from passed to skipped.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()

# The marker may land inside another line (tests run in parallel), so it is not anchored.
RUST_SKIP = re.compile(r"SKIPPED \(missing test data\): ")


def own_summary(name):
    """The last "<name>: N passed, N failed[, N skipped]" line of one of our scripts."""
    found = re.findall(rf"^{re.escape(name)}: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?", text, re.M)
    if not found:
        return None
    passed, failed, skipped = found[-1]
    return int(passed), int(failed), int(skipped or 0)


cargo = re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", text)
rust_skipped = len(RUST_SKIP.findall(text))
rust_passed = sum(int(p) for p, _ in cargo) - rust_skipped
rust_failed = sum(int(f) for _, f in cargo)

# Surefire's summary lines ("Tests run: …" without "-- in Class"): one per Maven run (the
# bindings' tests, the Android demo's view models), added up. "Tests run" includes the skipped.
surefire = re.findall(r"^\[\w+\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)\s*$", text, re.M)
maven_failed = sum(int(f) + int(e) for _, f, e, _ in surefire)
maven_skipped = sum(int(s) for _, _, _, s in surefire)
maven_passed = sum(int(r) for r, _, _, _ in surefire) - maven_failed - maven_skipped

# XCTest's "All tests" totals: one per `swift test` (the bindings, the iOS demo's models);
# "Executed" includes the skipped ("Executed 5 tests, with 1 test skipped and 0 failures").
xctest = re.findall(
    r"Test Suite 'All tests' \w+ at .*\n\s*Executed (\d+) tests?, with (?:(\d+) tests? skipped and )?(\d+) failures?",
    text,
)
swift_failed = sum(int(f) for _, _, f in xctest)
swift_skipped = sum(int(s or 0) for _, s, _ in xctest)
swift_passed = sum(int(r) for r, _, _ in xctest) - swift_failed - swift_skipped

rows = [
    ("rust", rust_passed, rust_failed, rust_skipped),
    ("interop", *(own_summary("interop") or (0, 0, 0))),
    ("kotlin", maven_passed, maven_failed, maven_skipped),
    ("swift", swift_passed, swift_failed, swift_skipped),
    ("cross-language", *(own_summary("cross-language") or (0, 0, 0))),
]
# The fuzz smoke run: its own summary, or one skipped run where no nightly toolchain exists.
fuzz = own_summary("fuzz")
fuzz_skipped = re.search(r"^fuzz: skipped\b", text, re.M)
if fuzz:
    rows.append(("fuzz", *fuzz))
elif fuzz_skipped:
    rows.append(("fuzz", 0, 0, 1))
for name, passed, failed, skipped in rows:
    print(f"  {name}: {passed} passed, {failed} failed, {skipped} skipped")
passed = sum(r[1] for r in rows)
failed = sum(r[2] for r in rows)
skipped = sum(r[3] for r in rows)
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
# A runner that ran nothing fails the tally, unless it was skipped as a whole on purpose.
whole_skips = {"fuzz"} if fuzz_skipped and not fuzz else set()
ran_nothing = any(r[1] == 0 and r[0] not in whole_skips for r in rows)
sys.exit(1 if failed or passed == 0 or ran_nothing else 0)
