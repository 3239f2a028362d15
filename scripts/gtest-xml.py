#!/usr/bin/env python3
"""Count a GoogleTest XML report.

Usage: gtest-xml.py REPORT.xml
Prints "PASSED FAILED SKIPPED" on the first line, then one failing test name
(Suite.Test) per line. An unreadable report counts as one failure.
"""
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed, failed, skipped, names = 0, 0, 0, []
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        name = f"{case.get('classname', '?')}.{case.get('name', '?')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            names.append(name)
        elif case.get("status") == "notrun" or case.get("result") == "skipped" \
                or case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, names


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        passed, failed, skipped, names = count(sys.argv[1])
    except (OSError, ET.ParseError) as err:
        print("0 1 0")
        print(f"(unreadable report: {err})")
        return
    print(passed, failed, skipped)
    for name in names:
        print(name)


if __name__ == "__main__":
    main()
