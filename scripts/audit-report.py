"""Summarises a Prowler OCSF findings file for scripts/audit.

Counts the failed findings on Terrace's resources — those whose name, ARN or tags carry
"terrace" (its names start with terrace-, its tags with terrace:, and the database secret RDS
creates is tagged with the terrace- cluster's ARN) — by severity and by check, muted ones
apart. Account-wide checks and moto's own fixtures (default VPCs, AMIs, snapshots) are left out.

    audit-report.py FINDINGS [--fail-on SEVERITY]

With --fail-on (critical, high, medium, low or informational), exits 1 when an unmuted failed
finding at that severity or above remains; without it, only reports and exits 0.
"""
import collections
import json
import sys

SEVERITIES = ["Critical", "High", "Medium", "Low", "Informational"]


def is_terrace(resource):
    text = " ".join([resource.get("uid", ""), resource.get("name", "")] + list(resource.get("labels") or []))
    return "terrace" in text


def main(path, fail_on=None):
    with open(path, encoding="utf-8") as f:
        findings = json.load(f)
    failed = [f for f in findings if f["status_code"] == "FAIL" and any(is_terrace(r) for r in f["resources"])]
    # Prowler's OCSF output marks a finding the mutelist matched as "Suppressed".
    muted = [f for f in failed if f["status"] == "Suppressed"]
    open_ = [f for f in failed if f["status"] != "Suppressed"]
    by_severity = collections.Counter(f["severity"] for f in open_)
    print("Prowler findings on Terrace's resources (failed, unmuted):")
    print("  " + "  ".join(f"{s.lower()} {by_severity.get(s, 0)}" for s in SEVERITIES) + f"  muted {len(muted)}")
    by_check = collections.Counter((f["severity"], f["metadata"]["event_code"]) for f in open_)
    for (severity, check), n in sorted(by_check.items(), key=lambda kv: (SEVERITIES.index(kv[0][0]), kv[0][1])):
        print(f"  {severity.lower():<9} {n:>4}  {check}")
    if muted:
        print("Muted (reasons in scripts/prowler-mutelist.yaml):")
        for check, n in sorted(collections.Counter(f["metadata"]["event_code"] for f in muted).items()):
            print(f"  {n:>4}  {check}")
    if fail_on is None:
        return 0
    at_or_above = SEVERITIES[:SEVERITIES.index(fail_on) + 1]
    blocking = sum(by_severity.get(s, 0) for s in at_or_above)
    if blocking:
        print(f"audit: {blocking} unmuted finding(s) at severity {fail_on.lower()} or above", file=sys.stderr)
        return 1
    return 0


def severity(name):
    for s in SEVERITIES:
        if s.lower() == name.lower():
            return s
    print(f"audit-report: unknown severity {name} (one of {', '.join(s.lower() for s in SEVERITIES)})",
          file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    args = sys.argv[1:]
    fail_on = None
    if "--fail-on" in args:
        i = args.index("--fail-on")
        if i + 1 >= len(args):
            print("audit-report: --fail-on needs a severity", file=sys.stderr)
            sys.exit(2)
        fail_on = severity(args[i + 1])
        del args[i:i + 2]
    sys.exit(main(args[0], fail_on))
