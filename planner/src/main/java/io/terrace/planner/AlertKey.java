package io.terrace.planner;

import java.util.List;

/**
 * The customer managed KMS key an environment's alert topic is encrypted with. The AWS-managed
 * {@code alias/aws/sns} cannot be used: its policy cannot be edited and does not let CloudWatch
 * alarms use it, so their notifications would never be delivered. This key's policy lets the
 * account administer it (through IAM) and lets CloudWatch, RDS's event notifications and SNS,
 * acting for this account, use it to encrypt and decrypt the topic's messages.
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
    public static String policy() {
        return PolicyDocument.builder()
                .allow("AccountAdministers", List.of("kms:*"), List.of("*"))
                .principal("AWS", List.of("arn:aws:iam::" + ACCOUNT + ":root"))
                .allowIf("AlarmsAndTopicsEncrypt", List.of("kms:Decrypt", "kms:GenerateDataKey*"), List.of("*"),
                        "StringEquals", "aws:SourceAccount", ACCOUNT)
                .principal("Service", List.of("cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "sns.amazonaws.com"))
                .build();
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
