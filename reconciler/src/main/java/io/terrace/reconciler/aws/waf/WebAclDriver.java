package io.terrace.reconciler.aws.waf;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import software.amazon.awssdk.services.wafv2.model.Scope;
import software.amazon.awssdk.services.wafv2.model.Tag;
import software.amazon.awssdk.services.wafv2.model.WafNonexistentItemException;
import software.amazon.awssdk.services.wafv2.model.WebACLSummary;

/**
 * A production environment's web ACL ({@link WebAcls}), scope CLOUDFRONT in us-east-1. An update
 * puts the whole rule list under the ACL's lock token; tags are synced. The distribution refers
 * to it by ARN (its id) and drops it before it is deleted: the deletion comes after the
 * distribution's, in reverse dependency order.
 */
public record WebAclDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.WAF_WEB_ACL;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return WebAcls.find(aws, desired.name())
                .flatMap(s -> WebAcls.read(aws, desired.address(), s))
                .<LiveRead>map(LiveRead.Present::new)
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public String updateVerb() {
        return "update";
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        var created = aws.waf.createWebACL(r -> r.name(desired.name()).scope(Scope.CLOUDFRONT)
                .defaultAction(a -> a.allow(x -> { }))
                .description("Terrace: " + desired.environment())
                .rules(WebAcls.rules(desired.attributes()))
                .visibilityConfig(WebAcls.visibility(desired.name()))
                .tags(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build())))
                .summary();
        return observed(desired, created);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        WebACLSummary summary = WebAcls.find(aws, desired.name()).orElseThrow(() -> new IllegalStateException(
                live.address() + ": web ACL " + desired.name() + " has disappeared"));
        boolean rulesChanged = changes.stream().anyMatch(c -> !c.path().startsWith("tags."));
        if (rulesChanged) {
            var current = aws.waf.getWebACL(r -> r.scope(Scope.CLOUDFRONT).name(summary.name()).id(summary.id()));
            aws.waf.updateWebACL(r -> r.scope(Scope.CLOUDFRONT).name(summary.name()).id(summary.id())
                    .lockToken(current.lockToken())
                    .defaultAction(current.webACL().defaultAction())
                    .description(current.webACL().description())
                    .rules(WebAcls.rules(desired.attributes()))
                    .visibilityConfig(current.webACL().visibilityConfig()));
        }
        TagSync.between(live.tags(), desired.tags()).send(
                set -> aws.waf.tagResource(r -> r.resourceARN(summary.arn())
                        .tags(TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build()))),
                keys -> aws.waf.untagResource(r -> r.resourceARN(summary.arn()).tagKeys(keys)));
        return observed(desired, summary);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        String name = live.id().replaceAll(".*/webacl/([^/]+)/[^/]+$", "$1");
        WebAcls.find(aws, name).ifPresent(summary -> {
            try {
                var current = aws.waf.getWebACL(r -> r.scope(Scope.CLOUDFRONT).name(summary.name()).id(summary.id()));
                aws.waf.deleteWebACL(r -> r.scope(Scope.CLOUDFRONT).name(summary.name()).id(summary.id())
                        .lockToken(current.lockToken()));
            } catch (WafNonexistentItemException e) {
                // Gone already.
            }
        });
    }

    private ObservedResource observed(Resource desired, WebACLSummary summary) {
        return WebAcls.read(aws, desired.address(), summary).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": web ACL " + desired.name() + " disappeared"));
    }
}
