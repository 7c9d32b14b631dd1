"""moto_server, as scripts/moto.sh starts it, less work it repeats for the same answer, and with
two answers made the ones AWS gives. moto is pinned to one version (scripts/moto.sh), whose code
each change below was checked against.

What changes no answer:

- moto's dispatcher lists its own package folder (about 150 stat calls) to find a request's
  service, under the lock every request thread takes: the list never changes while the server
  runs, so it is read once. It also lists a response class's methods with inspect.getmembers on
  every request: kept per class.
- werkzeug writes one log line per request; MOTO_REQUEST_LOG=off leaves them out (the fleet
  benchmark, whose hundreds of thousands of requests would otherwise spend a sixth of moto's one
  core on them).
- The tagging API's GetResources walks every taggable resource of every service in the region
  (a fifth of moto's time while seeding 1,000 environments), even with a resource type filter
  that rules a whole service out. The services whose resource types all start with their own
  namespace (EC2, ECS, CloudFormation, ACM, Secrets Manager, Backup, CloudFront, DynamoDB,
  CloudWatch, CloudWatch Logs, KMS, SNS, S3, RDS, ElastiCache) are skipped when the filter names
  none of their types: a sweep of CloudFront's distributions or one environment's KMS keys no
  longer walks the region's alarms (at 500 environments the tagging API was 47 % of moto's time,
  its walk of CloudWatch's alarms 21 %). Its tag filter is matched on each resource's tag
  dictionary, which holds one value per key, without first regrouping the tags by key.
- CloudFormation parses a template with PyYAML's pure-Python loader; the C loader (libyaml, in
  PyYAML's wheels) builds the same dictionary with the same constructors, eight times faster for
  Terrace's network template. A template it cannot read goes to moto's own parse, as before.
- CloudWatch's DescribeAlarms by name compares each alarm of the region with the names; each
  name is now a dictionary look-up (the alarms are keyed by name), answered in name order as
  AWS does.

What answers as AWS does where moto did not:

- GetTagValues gives each value once; moto gave it once per resource that has it (at 1,000
  environments of some fifty resources, 130 pages a region where AWS needs three).
- S3's CreateBucket ignored the tags of its CreateBucketConfiguration, which AWS sets with the
  bucket: a create whose next call (PutBucketTagging, which Terrace sends again for emulators
  like this one) failed left a bucket without Terrace's tags, which every later pass refused as
  someone else's (ChaosIT, 15 % of calls faulted, once). They are now set right after the create.
- moto's request threads walk its dictionaries while others add to them, and such a request
  fails with HTTP 500 ("dictionary changed size during iteration") where AWS answers: seeding
  1,000 environments met 378 of them (alarms by name, the tagging API's walk, IAM's roles at
  CreateRole), each a failed pass to retry. Those walks now go over a copy taken at once (the
  tagging API's copy of one service is taken again if it changed while being copied): the answer
  of a moment earlier or later, as AWS gives.
"""
import functools
import logging
import os

import yaml

import moto.backends
import moto.core.responses
from moto.cloudformation import models as cloudformation
from moto.cloudformation.utils import yaml_tag_constructor
from moto.cloudwatch import models as cloudwatch
from moto.core import resource_tagging
from moto.iam import models as iam
from moto.resourcegroupstaggingapi import models as tagging
from moto.s3 import responses as s3
from moto.server import main
import xmltodict

_MODULES = frozenset(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _MODULES

moto.core.responses.method_names_from_class = functools.lru_cache(maxsize=None)(
    moto.core.responses.method_names_from_class)

if os.environ.get("MOTO_REQUEST_LOG") == "off":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

# Backends whose every TaggedResource.resource_type is "<SERVICE_NAMESPACE>:..." (not ELB's: its
# classic load balancers are "elb:loadbalancer" under "elasticloadbalancing").
_ONE_NAMESPACE = frozenset({"ec2", "ecs", "cloudformation", "acm", "secretsmanager", "backup", "cloudfront",
                            "dynamodb", "cloudwatch", "logs", "kms", "sns", "s3", "rds", "elasticache"})


def _tagged_resources(backend):
    for _ in range(3):
        try:
            return list(backend.iter_tagged_resources())
        except RuntimeError:
            continue  # a dictionary changed while being walked: walk it again
    return list(backend.iter_tagged_resources())


def _tag_matcher(tag_filters):
    # moto's make_tag_matcher, on the tag dictionary itself: a key holds one value.
    filters = [(f["Key"], frozenset(f.get("Values") or ())) for f in tag_filters or []]

    def matches(tags):
        for key, values in filters:
            value = tags.get(key)
            if value is None and key not in tags or values and value not in values:
                return False
        return True

    return matches


def _get_resources_generator(self, tag_filters=None, resource_type_filters=None, resource_arn_list=None):
    # moto's own generator, less the backends no type filter can match.
    services = {f.split(":", 1)[0] for f in resource_type_filters or []}
    tag_matcher = _tag_matcher(tag_filters)
    for backend in resource_tagging.iter_taggable_backends(self.account_id, self.region_name):
        namespace = getattr(backend, "SERVICE_NAMESPACE", None)
        if services and namespace in _ONE_NAMESPACE and namespace not in services:
            continue
        for resource in _tagged_resources(backend):
            if not resource.tags and not resource.extra.get("include_untagged"):
                continue
            if not resource_tagging.match_resource_type(resource.resource_type, resource_type_filters):
                continue
            if not tag_matcher(resource.tags):
                continue
            if resource_arn_list and resource.arn not in resource_arn_list:
                continue
            yield resource


tagging.ResourceGroupsTaggingAPIBackend._get_resources_generator = _get_resources_generator


def _get_tag_values_generator(self, tag_key):
    # Each value once, as AWS answers: moto's own yields it once per resource that has it.
    seen = set()
    for backend in resource_tagging.iter_taggable_backends(self.account_id, self.region_name):
        for resource in _tagged_resources(backend):
            value = resource.tags.get(tag_key)
            if value is not None and value not in seen:
                seen.add(value)
                yield value


tagging.ResourceGroupsTaggingAPIBackend._get_tag_values_generator = _get_tag_values_generator

if getattr(yaml, "__with_libyaml__", False):
    yaml.add_multi_constructor("", yaml_tag_constructor, Loader=yaml.CLoader)
    _parse_template = cloudformation.Stack.parse_template

    def _parse_template_fast(template):
        try:
            return yaml.load(template, Loader=yaml.CLoader)
        except yaml.YAMLError:
            return _parse_template(template)

    cloudformation.Stack.parse_template = staticmethod(_parse_template_fast)


def _get_alarms_by_alarm_names(self, alarm_names):
    found = (self.alarms.get(name) for name in sorted(set(alarm_names)))
    return [alarm for alarm in found if alarm is not None]


cloudwatch.CloudWatchBackend.get_alarms_by_alarm_names = _get_alarms_by_alarm_names
iam.IAMBackend.get_roles = lambda self: list(self.roles.values())

_bucket_response_put = s3.S3Response._bucket_response_put


def _bucket_response_put_with_tags(self, request, bucket_name, querystring):
    answer = _bucket_response_put(self, request, bucket_name, querystring)
    if not querystring and self.body:
        try:
            config = xmltodict.parse(self.body, force_list={"Tag": True}).get("CreateBucketConfiguration") or {}
        except Exception:  # a body moto's own parse accepted and this one does not: no tags, as before
            config = {}
        tags = (config.get("Tags") or {}).get("Tag") or []
        if tags:
            self.backend.put_bucket_tagging(bucket_name, {t["Key"]: t.get("Value") or "" for t in tags})
    return answer


s3.S3Response._bucket_response_put = _bucket_response_put_with_tags

if __name__ == "__main__":
    main()
