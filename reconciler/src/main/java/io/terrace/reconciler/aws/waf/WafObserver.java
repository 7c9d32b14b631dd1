package io.terrace.reconciler.aws.waf;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ObserveShare;
import io.terrace.reconciler.aws.ServiceObserver;

import io.terrace.planner.Address;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.wafv2.model.WebACLSummary;

/**
 * Web ACLs: one paged ListWebACLs of scope CLOUDFRONT in us-east-1 (100 a page) matched on the
 * environments' ACL names, then GetWebACL and ListTagsForResource for each one found (WAFv2 reads
 * rules and tags one ACL at a time; only production environments have one). The list is global:
 * an observe across regions makes it once ({@link ObserveShare}).
 */
public final class WafObserver implements ServiceObserver {

    private final AwsClients aws;

    public WafObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> envByName = new HashMap<>();
        environments.forEach(env -> envByName.put(ResourceNames.webAcl(env), env));
        List<ObservedResource> out = new ArrayList<>();
        if (envByName.isEmpty()) {
            return out;
        }
        // CLOUDFRONT web ACLs are global: the regions of an observe share one list of them.
        ObserveShare share = ObserveShare.current();
        Map<String, WebACLSummary> listed = share.covers(environments)
                ? share.once("wafv2:web-acls", () -> WebAcls.byName(aws, names(share.environments())))
                : WebAcls.byName(aws, envByName.keySet());
        listed.forEach((name, summary) -> {
            if (envByName.containsKey(name)) {
                WebAcls.read(aws, Address.of(envByName.get(name), Component.CDN, "web-acl"), summary)
                        .ifPresent(out::add);
            }
        });
        return out;
    }

    private static Set<String> names(Collection<String> environments) {
        return environments.stream().map(ResourceNames::webAcl).collect(Collectors.toSet());
    }
}
