package io.terrace.reconciler.aws.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.planner.PolicyDocument;
import io.terrace.planner.RolePolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourcePolicy;
import software.amazon.awssdk.services.opensearch.model.AdvancedSecurityOptionsInput;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.LogPublishingOption;

/**
 * Who may reach a search domain and where it writes its logs, as Terrace sets them: fine-grained
 * access control with IAM users only (the master user is the web task role); a domain access
 * policy that trusts the account but only for the named task roles ({@code aws:PrincipalArn}),
 * so it can be set before those roles exist; the log types published to Terrace's groups; and the
 * one CloudWatch Logs resource policy per region that lets OpenSearch Service write to every
 * {@code /terrace/*} group.
 */
final class SearchAccess {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HTTP_ACTIONS = "es:ESHttp*";

    private SearchAccess() {}

    /** The account of an ARN ({@code arn:aws:<service>:<region>:<account>:...}). */
    static String account(String arn) {
        return arn.split(":")[4];
    }

    static String region(String arn) {
        return arn.split(":")[3];
    }

    static String domainArn(String region, String account, String domain) {
        return "arn:aws:es:" + region + ":" + account + ":domain/" + domain;
    }

    static String roleArn(String account, String role) {
        return "arn:aws:iam::" + account + ":role" + RolePolicies.PATH + role;
    }

    /** FGAC on, no internal users, the web task role as master user. */
    static AdvancedSecurityOptionsInput fineGrained(String account, String masterRole) {
        return AdvancedSecurityOptionsInput.builder().enabled(true).internalUserDatabaseEnabled(false)
                .masterUserOptions(m -> m.masterUserARN(roleArn(account, masterRole))).build();
    }

    /** The domain access policy: HTTP actions on the domain, for the account's named roles only. */
    static String accessPolicy(String domainArn, List<String> roles) {
        String account = account(domainArn);
        ObjectNode doc = JSON.createObjectNode().put("Version", PolicyDocument.VERSION);
        ObjectNode s = doc.putArray("Statement").addObject();
        s.put("Sid", "TerraceTaskRoles").put("Effect", "Allow");
        s.putObject("Principal").put("AWS", "arn:aws:iam::" + account + ":root");
        s.put("Action", HTTP_ACTIONS).put("Resource", domainArn + "/*");
        ArrayNode arns = s.putObject("Condition").putObject("ArnEquals").putArray("aws:PrincipalArn");
        roles.forEach(r -> arns.add(roleArn(account, r)));
        return PolicyDocument.canonical(doc);
    }

    /**
     * The role names a live access policy lets in, when it is exactly the policy Terrace writes for
     * them; otherwise the policy itself (so the plan shows what is there and the update replaces it).
     */
    static Object observedRoles(String domainArn, String policy) {
        if (policy == null || policy.isBlank()) {
            return List.of();
        }
        try {
            JsonNode arns = JSON.readTree(policy).path("Statement").path(0).path("Condition").path("ArnEquals")
                    .path("aws:PrincipalArn");
            List<String> roles = new ArrayList<>();
            String prefix = roleArn(account(domainArn), "");
            if (arns.isTextual()) {
                roles.add(arns.asText());
            } else {
                arns.forEach(a -> roles.add(a.asText()));
            }
            List<String> names = roles.stream().filter(a -> a.startsWith(prefix))
                    .map(a -> a.substring(prefix.length())).sorted().toList();
            if (names.size() == roles.size() && !names.isEmpty()
                    && accessPolicy(domainArn, names).equals(PolicyDocument.canonical(policy))) {
                return names;
            }
            return PolicyDocument.canonical(policy);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return policy;
        }
    }

    /** Each log type to its group, enabled. */
    static Map<String, LogPublishingOption> publishing(String region, String account, Map<String, String> groups,
            Map<String, String> live) {
        Map<String, LogPublishingOption> out = new TreeMap<>();
        groups.forEach((type, group) -> out.put(type, LogPublishingOption.builder().enabled(true)
                .cloudWatchLogsLogGroupArn("arn:aws:logs:" + region + ":" + account + ":log-group:" + group).build()));
        // A type published live but no longer wanted is switched off, not left writing.
        live.keySet().stream().filter(t -> !groups.containsKey(t))
                .forEach(t -> out.put(t, LogPublishingOption.builder().enabled(false).build()));
        return out;
    }

    /** The enabled log types of a domain, each with its group's name. */
    static Map<String, String> observedPublishing(DomainStatus d) {
        Map<String, String> out = new TreeMap<>();
        if (d.hasLogPublishingOptions()) {
            d.logPublishingOptionsAsStrings().forEach((type, o) -> {
                if (Boolean.TRUE.equals(o.enabled()) && o.cloudWatchLogsLogGroupArn() != null) {
                    out.put(type, groupName(o.cloudWatchLogsLogGroupArn()));
                }
            });
        }
        return out;
    }

    static String groupName(String groupArn) {
        String name = groupArn.substring(groupArn.indexOf(":log-group:") + ":log-group:".length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }

    /** The region's CloudWatch Logs resource policy letting OpenSearch Service write to {@code /terrace/*}. */
    static String deliveryPolicy(String region, String account) {
        ObjectNode doc = JSON.createObjectNode().put("Version", PolicyDocument.VERSION);
        ObjectNode s = doc.putArray("Statement").addObject();
        s.put("Sid", "OpenSearchWritesTerraceLogs").put("Effect", "Allow");
        s.putObject("Principal").put("Service", "es.amazonaws.com");
        s.putArray("Action").add("logs:CreateLogStream").add("logs:PutLogEvents");
        s.put("Resource", "arn:aws:logs:" + region + ":" + account + ":log-group:/terrace/*");
        s.putObject("Condition").putObject("StringEquals").put("aws:SourceAccount", account);
        return PolicyDocument.canonical(doc);
    }

    /** The policy named {@code name}, when it is there and is exactly Terrace's. */
    static Optional<String> deliveryPolicyIn(List<ResourcePolicy> policies, String name, String region,
            String account) {
        String want = deliveryPolicy(region, account);
        return policies.stream().filter(p -> name.equals(p.policyName()))
                .filter(p -> {
                    try {
                        return want.equals(PolicyDocument.canonical(p.policyDocument()));
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                })
                .map(ResourcePolicy::policyName).findFirst();
    }

    /** Every resource policy of the region (at most ten: one page, but paged all the same). */
    static List<ResourcePolicy> deliveryPolicies(CloudWatchLogsClient logs) {
        List<ResourcePolicy> out = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = logs.describeResourcePolicies(r -> r.nextToken(next));
            out.addAll(page.resourcePolicies());
            token = page.nextToken();
        } while (token != null);
        return out;
    }

    static void putDeliveryPolicy(CloudWatchLogsClient logs, String name, String region, String account) {
        logs.putResourcePolicy(r -> r.policyName(name).policyDocument(deliveryPolicy(region, account)));
    }
}
