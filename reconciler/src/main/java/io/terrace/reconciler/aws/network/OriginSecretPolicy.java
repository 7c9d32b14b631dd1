package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.AwsClients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.RolePolicies;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The resource policy of the origin secret ({@link OriginSecrets}): one statement denying every
 * Secrets Manager action on it to every principal but two, compared by
 * {@code aws:PrincipalArn} with {@code StringNotEquals}: the environment's task execution role and
 * the principal Terrace runs as (read once per region's clients with STS
 * {@code GetCallerIdentity}; an assumed role is named by its role's ARN, path included when
 * {@code iam:GetRole} may read it). Observed as {@code originSecretPolicy} on the network stack:
 * {@link #RESTRICTED} when the live policy is exactly this one, {@link #NONE} when the secret
 * has none, {@link #CHANGED} when it has another, {@link #UNREADABLE} when Terrace may not read
 * it.
 */
public final class OriginSecretPolicy {

    public static final String RESTRICTED = NetworkStack.ORIGIN_SECRET_RESTRICTED;
    public static final String NONE = "none";
    public static final String CHANGED = "changed";
    public static final String UNREADABLE = "unreadable";
    static final String SID = "TerraceAndTheExecutionRoleOnly";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:([^:]+):sts::(\\d{12}):assumed-role/([^/]+)/.*");
    private static final Pattern STS_OTHER = Pattern.compile("arn:([^:]+):sts::(\\d{12}):(.*)");
    private static final Map<AwsClients, Caller> CALLERS = Collections.synchronizedMap(new WeakHashMap<>());

    private OriginSecretPolicy() {}

    /** Who Terrace runs as: its account, partition and principal ARN as {@code aws:PrincipalArn} sees it. */
    public record Caller(String partition, String account, String principalArn) {

        /** The ARN of {@code resource} of {@code service} in this account and {@code region}. */
        public String arn(String service, software.amazon.awssdk.regions.Region region, String resource) {
            return "arn:" + partition + ":" + service + ":" + region.id() + ":" + account + ":" + resource;
        }
    }

    public static Caller caller(AwsClients aws) {
        return CALLERS.computeIfAbsent(aws, OriginSecretPolicy::readCaller);
    }

    private static Caller readCaller(AwsClients aws) {
        var identity = aws.sts.getCallerIdentity();
        String arn = identity.arn();
        Matcher role = ASSUMED_ROLE.matcher(arn);
        if (role.matches()) {
            String name = role.group(3);
            String principal = "arn:" + role.group(1) + ":iam::" + role.group(2) + ":role/" + name;
            try {
                principal = aws.iam.getRole(r -> r.roleName(name)).role().arn();
            } catch (IamException e) {
                // Not allowed to read its own role: the ARN without a path, right for a role at "/".
            }
            return new Caller(role.group(1), role.group(2), principal);
        }
        Matcher other = STS_OTHER.matcher(arn);
        if (other.matches()) {
            return new Caller(other.group(1), other.group(2), "arn:" + other.group(1) + ":iam::" + other.group(2)
                    + ":" + other.group(3));
        }
        String[] parts = arn.split(":", 6);
        return new Caller(parts[1], identity.account(), arn);
    }

    /** The policy, as compact JSON with the two principals sorted. */
    public static String document(String env, Caller caller) {
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ObjectNode deny = policy.putArray("Statement").addObject()
                .put("Sid", SID).put("Effect", "Deny").put("Principal", "*")
                .put("Action", "secretsmanager:*").put("Resource", "*");
        ArrayNode principals = deny.putObject("Condition").putObject("StringNotEquals").putArray("aws:PrincipalArn");
        new TreeSet<>(java.util.List.of(executionRoleArn(env, caller), caller.principalArn())).forEach(principals::add);
        return policy.toString();
    }

    static String executionRoleArn(String env, Caller caller) {
        return "arn:" + caller.partition() + ":iam::" + caller.account() + ":role" + RolePolicies.PATH
                + ResourceNames.executionRole(env);
    }

    /** What the live policy of the environment's origin secret is, or empty when there is no secret. */
    public static java.util.Optional<String> observe(AwsClients aws, String env) {
        try {
            String live = aws.secretsManager.getResourcePolicy(r -> r.secretId(OriginSecrets.name(env))).resourcePolicy();
            if (live == null || live.isBlank()) {
                return java.util.Optional.of(NONE);
            }
            return java.util.Optional.of(same(live, document(env, caller(aws))) ? RESTRICTED : CHANGED);
        } catch (ResourceNotFoundException e) {
            return java.util.Optional.empty();
        } catch (SecretsManagerException e) {
            if (e.statusCode() == 400 && e.awsErrorDetails() != null
                    && "AccessDeniedException".equals(e.awsErrorDetails().errorCode())) {
                return java.util.Optional.of(UNREADABLE);
            }
            throw e;
        }
    }

    /** Puts the policy on the environment's origin secret (Secrets Manager blocks public policies on its side too). */
    public static void put(AwsClients aws, String env) {
        String document = document(env, caller(aws));
        aws.secretsManager.putResourcePolicy(r -> r.secretId(OriginSecrets.name(env)).resourcePolicy(document)
                .blockPublicPolicy(true));
    }

    private static boolean same(String live, String wanted) {
        try {
            JsonNode a = JSON.readTree(live);
            JsonNode b = JSON.readTree(wanted);
            return a.equals(b);
        } catch (IOException e) {
            return false;
        }
    }
}
