"""A cfn-lint rule of Terrace's: no security group admits the whole internet.

Terrace's load balancer is reached through CloudFront only (the origin-facing managed prefix
list), and everything else inside the VPC is reached from other security groups, so an ingress
rule from 0.0.0.0/0 or ::/0 is always a mistake.
"""

from cfnlint.rules import CloudFormationLintRule, RuleMatch

OPEN = {"0.0.0.0/0", "::/0"}


class OpenIngress(CloudFormationLintRule):
    id = "E9001"
    shortdesc = "No ingress from anywhere"
    description = "Security group ingress rules may not admit 0.0.0.0/0 or ::/0"
    source_url = "docs/aws.md#the-network-stack"
    tags = ["security", "ec2"]

    def match(self, cfn):
        matches = []
        for name, resource in cfn.get_resources(["AWS::EC2::SecurityGroup"]).items():
            rules = resource.get("Properties", {}).get("SecurityGroupIngress", [])
            for i, rule in enumerate(rules if isinstance(rules, list) else []):
                matches.extend(self._check(rule, ["Resources", name, "Properties", "SecurityGroupIngress", i]))
        for name, resource in cfn.get_resources(["AWS::EC2::SecurityGroupIngress"]).items():
            matches.extend(self._check(resource.get("Properties", {}), ["Resources", name, "Properties"]))
        return matches

    def _check(self, rule, path):
        out = []
        if not isinstance(rule, dict):
            return out
        for key in ("CidrIp", "CidrIpv6"):
            if rule.get(key) in OPEN:
                out.append(RuleMatch(path + [key], f"ingress from {rule[key]} admits the whole internet"))
        return out
