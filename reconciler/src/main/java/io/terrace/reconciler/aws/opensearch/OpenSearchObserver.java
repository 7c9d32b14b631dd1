package io.terrace.reconciler.aws.opensearch;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourcePolicy;
import software.amazon.awssdk.services.opensearch.model.DomainInfo;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;

/**
 * Observes the search component of many environments: one ListDomainNames, DescribeDomains for
 * the Terrace-named domains five at a time (the API's limit; a {@linkplain ServiceObserver#FEW few}
 * environments' domains are described by name without listing the region's), and their tags (which neither call
 * returns) from one tagging-API sweep, with ListTags only for a domain missing from it; and one
 * CloudWatch Logs DescribeResourcePolicies, for the region's policy that lets the domains publish
 * their logs.
 */
public final class OpenSearchObserver implements ServiceObserver {

    /** DescribeDomains accepts at most five names per call. */
    static final int DESCRIBE_BATCH = 5;

    private final AwsClients aws;

    public OpenSearchObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> domainEnv = new HashMap<>();
        environments.forEach(env -> domainEnv.put(ResourceNames.searchDomain(env), env));
        // A few environments' domains are described by name: DescribeDomains leaves out those that do not exist.
        List<String> names = ServiceObserver.few(environments) ? domainEnv.keySet().stream().sorted().toList()
                : aws.openSearch.listDomainNames(r -> { }).domainNames().stream()
                        .map(DomainInfo::domainName).filter(domainEnv::containsKey).sorted().toList();
        List<DomainStatus> domains = new ArrayList<>();
        for (int i = 0; i < names.size(); i += DESCRIBE_BATCH) {
            List<String> batch = names.subList(i, Math.min(names.size(), i + DESCRIBE_BATCH));
            domains.addAll(aws.openSearch.describeDomains(r -> r.domainNames(batch)).domainStatusList());
        }
        if (domains.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("es:domain"), environments);
        List<ResourcePolicy> deliveryPolicies = SearchAccess.deliveryPolicies(aws.logs);
        List<ObservedResource> out = new ArrayList<>();
        for (DomainStatus d : domains) {
            Map<String, String> tags = swept.get(d.arn());
            if (tags == null) {
                tags = OpenSearchLive.listTags(aws.openSearch, d.arn());
            }
            out.add(OpenSearchLive.observed(domainEnv.get(d.domainName()), d, tags, deliveryPolicies));
        }
        return out;
    }
}
