package io.terrace.reconciler.aws.waf;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeKeys.WebAcl;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.wafv2.model.ManagedRuleGroupStatement;
import software.amazon.awssdk.services.wafv2.model.Rule;
import software.amazon.awssdk.services.wafv2.model.Scope;
import software.amazon.awssdk.services.wafv2.model.Tag;
import software.amazon.awssdk.services.wafv2.model.VisibilityConfig;
import software.amazon.awssdk.services.wafv2.model.WafNonexistentItemException;
import software.amazon.awssdk.services.wafv2.model.WebACLSummary;

/**
 * The environments' web ACLs as Terrace reads and writes them: scope CLOUDFRONT (so in
 * us-east-1), allowing by default, with the rate-based rule first ({@link WebAcl#RATE_RULE},
 * blocking an IP address above the limit per five minutes), then each AWS managed rule group at
 * its own priority with its own actions. The core rule set's {@code SizeRestrictions_BODY} only
 * counts: it blocks request bodies over 8 KB, which every WordPress editor save and upload is.
 * Observed as {@code rules} (names in priority order) and {@code rateLimit}.
 */
public final class WebAcls {

    static final String BODY_SIZE_RULE = "SizeRestrictions_BODY";
    static final String CORE_RULE_SET = "AWSManagedRulesCommonRuleSet";

    private WebAcls() {}

    /** Every CLOUDFRONT web ACL whose name is one of {@code names}, by name, in one paged sweep. */
    public static Map<String, WebACLSummary> byName(AwsClients aws, Set<String> names) {
        Map<String, WebACLSummary> out = new HashMap<>();
        String marker = null;
        do {
            String from = marker;
            var page = aws.waf.listWebACLs(r -> r.scope(Scope.CLOUDFRONT).limit(100).nextMarker(from));
            page.webACLs().stream().filter(s -> names.contains(s.name())).forEach(s -> out.put(s.name(), s));
            marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return out;
    }

    public static Optional<WebACLSummary> find(AwsClients aws, String name) {
        return Optional.ofNullable(byName(aws, Set.of(name)).get(name));
    }

    /** One GetWebACL and one ListTagsForResource; empty when it went in between. */
    public static Optional<ObservedResource> read(AwsClients aws, String address, WebACLSummary summary) {
        software.amazon.awssdk.services.wafv2.model.WebACL acl;
        try {
            acl = aws.waf.getWebACL(r -> r.scope(Scope.CLOUDFRONT).name(summary.name()).id(summary.id())).webACL();
        } catch (WafNonexistentItemException e) {
            return Optional.empty();
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>(acl.rules());
        rules.sort(Comparator.comparing(Rule::priority));
        attributes.put(WebAcl.RULES, rules.stream().map(Rule::name).toList());
        attributes.put(WebAcl.RATE_LIMIT, rules.stream()
                .filter(r -> r.statement() != null && r.statement().rateBasedStatement() != null)
                .map(r -> r.statement().rateBasedStatement().limit().intValue())
                .findFirst().orElse(0));
        attributes.put("arn", acl.arn());
        return Optional.of(new ObservedResource(address, ResourceType.WAF_WEB_ACL, acl.arn(), attributes,
                tags(aws, acl.arn())));
    }

    static Map<String, String> tags(AwsClients aws, String arn) {
        try {
            var info = aws.waf.listTagsForResource(r -> r.resourceARN(arn)).tagInfoForResource();
            return info == null || !info.hasTagList() ? Map.of()
                    : TerraceTags.fromSdk(info.tagList(), Tag::key, Tag::value);
        } catch (WafNonexistentItemException e) {
            return Map.of();
        }
    }

    /** The rules of the desired attributes, in their order. */
    @SuppressWarnings("unchecked")
    static List<Rule> rules(Map<String, Object> desired) {
        List<String> names = (List<String>) desired.get(WebAcl.RULES);
        long limit = ((Number) desired.get(WebAcl.RATE_LIMIT)).longValue();
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Rule.Builder rule = Rule.builder().name(name).priority(i).visibilityConfig(visibility(name));
            if (name.equals(WebAcl.RATE_RULE)) {
                rule.statement(s -> s.rateBasedStatement(r -> r.limit(limit).aggregateKeyType("IP")))
                        .action(a -> a.block(b -> { }));
            } else {
                ManagedRuleGroupStatement.Builder group = ManagedRuleGroupStatement.builder().vendorName("AWS").name(name);
                if (name.equals(CORE_RULE_SET)) {
                    group.ruleActionOverrides(o -> o.name(BODY_SIZE_RULE).actionToUse(a -> a.count(c -> { })));
                }
                rule.statement(s -> s.managedRuleGroupStatement(group.build())).overrideAction(a -> a.none(n -> { }));
            }
            out.add(rule.build());
        }
        return out;
    }

    static VisibilityConfig visibility(String metric) {
        return VisibilityConfig.builder().cloudWatchMetricsEnabled(true).sampledRequestsEnabled(true)
                .metricName(metric).build();
    }
}
