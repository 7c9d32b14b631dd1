package io.terrace.planner;

import java.util.List;

/**
 * The customer managed KMS key of an environment: its alert topic, its CloudWatch Logs groups and
 * its assets bucket are encrypted with it (the alias keeps the name it was given for the topic). The AWS-managed
 * {@code alias/aws/sns} cannot be used: its policy cannot be edited and does not let CloudWatch
 * alarms use it, so their notifications would never be delivered. This key's policy lets the
 * account administer it (through IAM) and lets CloudWatch, RDS's event notifications and SNS,
 * acting for this account, use it to encrypt and decrypt the topic's messages; CloudWatch Logs use
 * it for the environment's groups only (the encryption context names the group). The assets
 * bucket's callers (the task roles, through S3) are let in by their IAM policies, which the
 * account statement allows.
 */
public final class AlertKey {

    /**
     * The account in the desired policy. A key policy principal cannot be a policy variable: the
     * driver writes the account id in its place, the observer reads the account id back as this.
     */
    public static final String ACCOUNT = RolePolicies.ACCOUNT;
    /** Days a deleted key waits before KMS destroys it: the minimum KMS allows. */
    public static final int DELETION_WINDOW_DAYS = 7;

    private AlertKey() {}

    /** The key policy, canonical ({@link PolicyDocument}), with {@link #ACCOUNT} for the account. */
    public static String policy(String env, String region) {
        return PolicyDocument.builder()
                .allow("AccountAdministers", List.of("kms:*"), List.of("*"))
                .principal("AWS", List.of("arn:aws:iam::" + ACCOUNT + ":root"))
                .allowIf("AlarmsAndTopicsEncrypt", List.of("kms:Decrypt", "kms:GenerateDataKey*"), List.of("*"),
                        "StringEquals", "aws:SourceAccount", ACCOUNT)
                .principal("Service", List.of("cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "sns.amazonaws.com"))
                .allow("LogGroupsEncrypt", List.of("kms:Decrypt*", "kms:Describe*", "kms:Encrypt*",
                        "kms:GenerateDataKey*", "kms:ReEncrypt*"), List.of("*"))
                .condition("ArnLike", "kms:EncryptionContext:aws:logs:arn", logGroupArns(env, region))
                .principal("Service", List.of("logs." + region + ".amazonaws.com"))
                .build();
    }

    /**
     * The ARN patterns of the environment's log groups: Terrace's own ({@code /terrace/<env>/...})
     * and those RDS exports its cluster's logs to ({@code /aws/rds/cluster/<cluster>/...}).
     */
    static List<String> logGroupArns(String env, String region) {
        String prefix = "arn:aws:logs:" + region + ":" + ACCOUNT + ":log-group:";
        return List.of(prefix + ResourceNames.logGroupPrefix(env) + "*",
                prefix + ResourceNames.DATABASE_LOG_GROUP_PREFIX + ResourceNames.dbCluster(env) + "/*");
    }

    /** {@code policy} with the account id in place of {@link #ACCOUNT}, as the driver writes it. */
    public static String withAccount(String policy, String account) {
        return policy.replace(ACCOUNT, account);
    }

    /**
     * A live key policy in the desired policy's form: canonical, the account id read as
     * {@link #ACCOUNT}; a document that is not JSON is returned as it is (so it differs).
     */
    public static String withoutAccount(String policy, String account) {
        String canonical;
        try {
            canonical = PolicyDocument.canonical(policy);
        } catch (IllegalArgumentException e) {
            return policy;
        }
        return account.isEmpty() ? canonical : canonical.replace(account, ACCOUNT);
    }
}
