#!/usr/bin/env python3
"""Judge a GoogleTest XML report of the fault-injection pass.

Usage: fault-verdict.py REPORT.xml
Under injected allocation failures a test may fail, but only cleanly: with a
system call's error (ENOMEM, ENOBUFS, EAGAIN) reported by the test, and never
with wrong data. A failing test case counts as "clean" when one of its
failure messages names such an error and none reports a data mismatch.
Prints "PASSED FAILED SKIPPED CLEAN" on the first line, then "FAIL Suite.Test"
or "CLEAN Suite.Test: <the error>" lines. An unreadable report counts as one
failure.
"""
import re
import sys
import xml.etree.ElementTree as ET

CLEAN = re.compile(r"Cannot allocate memory|No buffer space available|"
                   r"Resource temporarily unavailable|std::bad_alloc|"
                   r"\bENOMEM\b|\bENOBUFS\b|\bEAGAIN\b")
DATA = re.compile(r"differs|digest|sha256|mismatch|duplicat|corrupt|out of order",
                  re.IGNORECASE)


def judge(case):
    msgs = [f.get("message", "") + "\n" + (f.text or "")
            for f in case.findall("failure") + case.findall("error")]
    if any(DATA.search(m) for m in msgs):
        return None
    for m in msgs:
        hit = CLEAN.search(m)
        if hit:
            line = next((ln for ln in m.splitlines() if hit.group(0) in ln), hit.group(0))
            return line.strip()[:160]
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except (OSError, ET.ParseError) as err:
        print("0 1 0 0")
        print(f"FAIL (unreadable report: {err})")
        return
    passed, failed, skipped, clean, lines = 0, 0, 0, 0, []
    for case in root.iter("testcase"):
        name = f"{case.get('classname', '?')}.{case.get('name', '?')}"
        if case.find("failure") is not None or case.find("error") is not None:
            why = judge(case)
            if why is None:
                failed += 1
                lines.append(f"FAIL {name}")
            else:
                clean += 1
                lines.append(f"CLEAN {name}: {why}")
        elif case.get("status") == "notrun" or case.get("result") == "skipped" \
                or case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    print(passed, failed, skipped, clean)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
