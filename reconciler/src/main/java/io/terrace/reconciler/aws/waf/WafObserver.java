package io.terrace.reconciler.aws.waf;

import io.terrace.reconciler.aws.AwsClients;
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

/**
 * Web ACLs: one paged ListWebACLs of scope CLOUDFRONT in us-east-1 (100 a page) matched on the
 * environments' ACL names, then GetWebACL and ListTagsForResource for each one found (WAFv2 reads
 * rules and tags one ACL at a time; only production environments have one).
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
        WebAcls.byName(aws, envByName.keySet()).forEach((name, summary) -> WebAcls.read(aws,
                Address.of(envByName.get(name), Component.CDN, "web-acl"), summary).ifPresent(out::add));
        return out;
    }
}
