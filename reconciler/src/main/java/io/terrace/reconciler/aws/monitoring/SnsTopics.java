package io.terrace.reconciler.aws.monitoring;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.network.OriginSecretPolicy;

import io.terrace.reconciler.aws.TerraceTags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.planner.Address;
import io.terrace.planner.AttributeKeys.Topic;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * An alert topic as Terrace reads and writes it: its subscriptions as {@code <protocol>:<endpoint>},
 * its KMS key, and whether its policy lets CloudWatch alarms and RDS event notifications publish
 * (the two statements Terrace writes, limited to the environment's own alarms and subscriptions).
 */
public final class SnsTopics {

    /** Sid of the statement Terrace writes into the topic policy. */
    static final String STATEMENT = "TerraceCloudWatchAlarms";
    /** Sid of the statement letting RDS publish the environment's event subscriptions. */
    static final String RDS_STATEMENT = "TerraceRdsEvents";
    /** What SNS lists instead of an ARN for a subscription not confirmed yet (e-mail). */
    static final String PENDING = "PendingConfirmation";
    static final String KMS_KEY = "KmsMasterKeyId";
    static final String POLICY = "Policy";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SnsTopics() {}

    public static String address(String env) {
        return Address.of(env, Component.MONITORING, "topic");
    }

    /**
     * The ARN of the region's topic by that name: the caller's partition and account, the region,
     * the name. SNS has no lookup by name that does not create the topic; GetTopicAttributes on
     * this ARN tells whether it exists, whatever the number of topics in the account.
     */
    public static String arn(AwsClients aws, String name) {
        return OriginSecretPolicy.caller(aws).arn("sns", aws.region(), name);
    }

    /** The topic's ARN when it exists. */
    public static Optional<String> existing(AwsClients aws, String name) {
        String arn = arn(aws, name);
        return attributes(aws.sns, arn).map(a -> arn);
    }

    /** The topic's name: the last part of its ARN. */
    public static String name(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /** {@code <protocol>:<endpoint>}, as the desired state spells a subscription. */
    static String key(Subscription s) {
        return s.protocol() + ":" + s.endpoint();
    }

    static boolean isPending(Subscription s) {
        return PENDING.equals(s.subscriptionArn());
    }

    /**
     * The topic policy: CloudWatch may publish for the environment's alarms, and RDS for the
     * environment's event subscriptions, in this account and region.
     */
    public static String policy(String topicArn, String env) {
        String[] arn = topicArn.split(":");
        String alarms = CloudWatchAlarms.arn(topicArn, io.terrace.planner.ResourceNames.alarm(env, "*"));
        ObjectNode doc = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        ObjectNode st = statements.addObject()
                .put("Sid", STATEMENT).put("Effect", "Allow").put("Action", "sns:Publish").put("Resource", topicArn);
        st.putObject("Principal").put("Service", "cloudwatch.amazonaws.com");
        st.putObject("Condition").putObject("ArnLike").put("aws:SourceArn", alarms);
        ObjectNode rds = statements.addObject()
                .put("Sid", RDS_STATEMENT).put("Effect", "Allow").put("Action", "sns:Publish").put("Resource", topicArn);
        rds.putObject("Principal").put("Service", "events.rds.amazonaws.com");
        ArrayNode sources = rds.putObject("Condition").putObject("ArnEquals").putArray("aws:SourceArn");
        for (String kind : io.terrace.planner.ResourceNames.RDS_EVENT_KINDS) {
            sources.add("arn:" + arn[1] + ":rds:" + arn[3] + ":" + arn[4] + ":es:"
                    + io.terrace.planner.ResourceNames.rdsEventSubscription(env, kind));
        }
        return doc.toString();
    }

    /** Whether a policy document has Terrace's statement letting CloudWatch publish. */
    public static boolean letsCloudWatchPublish(String policy) {
        return lets(policy, "cloudwatch.amazonaws.com");
    }

    /** Whether a policy document has Terrace's statement letting RDS event notifications publish. */
    public static boolean letsRdsPublish(String policy) {
        return lets(policy, "events.rds.amazonaws.com");
    }

    private static boolean lets(String policy, String service) {
        if (policy == null || policy.isBlank()) {
            return false;
        }
        try {
            JsonNode statements = JSON.readTree(policy).path("Statement");
            List<JsonNode> all = new ArrayList<>();
            if (statements instanceof ArrayNode array) {
                array.forEach(all::add);
            } else {
                all.add(statements);
            }
            return all.stream().anyMatch(s -> "Allow".equals(s.path("Effect").asText())
                    && s.path("Principal").path("Service").toString().contains(service)
                    && s.path("Action").toString().toLowerCase(java.util.Locale.ROOT).contains("sns:publish"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The topic's attributes, empty when it does not exist. */
    static Optional<Map<String, String>> attributes(SnsClient sns, String arn) {
        try {
            return Optional.of(sns.getTopicAttributes(r -> r.topicArn(arn)).attributes());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    static List<Subscription> subscriptions(SnsClient sns, String arn) {
        return sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(arn)).subscriptions().stream().toList();
    }

    static Map<String, String> tags(SnsClient sns, String arn) {
        return TerraceTags.fromSdk(sns.listTagsForResource(r -> r.resourceArn(arn)).tags(),
                software.amazon.awssdk.services.sns.model.Tag::key, software.amazon.awssdk.services.sns.model.Tag::value);
    }

    /** The attributes {@code GetTopicAttributes} gives, one read per topic. */
    static final List<String> DETAILS = List.of(Topic.ENCRYPTION_KEY, Topic.CLOUDWATCH_PUBLISH, Topic.RDS_EVENTS_PUBLISH);

    /** The topic as observed: managed attributes plus {@code arn} and the {@code pending} endpoints. */
    static ObservedResource observed(String env, String arn, Map<String, String> attributes,
            List<Subscription> subscriptions, Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(Topic.SUBSCRIPTIONS, List.copyOf(new TreeSet<>(subscriptions.stream().map(SnsTopics::key).toList())));
        a.put(Topic.ENCRYPTION_KEY, attributes.getOrDefault(KMS_KEY, ""));
        a.put(Topic.CLOUDWATCH_PUBLISH, letsCloudWatchPublish(attributes.get(POLICY)));
        a.put(Topic.RDS_EVENTS_PUBLISH, letsRdsPublish(attributes.get(POLICY)));
        a.put("arn", arn);
        a.put("pending", List.copyOf(new TreeSet<>(
                subscriptions.stream().filter(SnsTopics::isPending).map(SnsTopics::key).toList())));
        return new ObservedResource(address(env), ResourceType.SNS_TOPIC, arn, a, tags);
    }

    /** Reads one topic by ARN, in full. */
    static Optional<ObservedResource> read(SnsClient sns, String env, String arn) {
        return attributes(sns, arn).map(attrs -> observed(env, arn, attrs, subscriptions(sns, arn), tags(sns, arn)));
    }
}
