package io.terrace.reconciler.aws.network;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ManagedPrefixList;

/**
 * The AWS-managed prefix list of CloudFront's origin-facing servers, the only source the load
 * balancer's security group admits. Its name is global but its id differs per region, so the
 * network driver looks it up (one DescribeManagedPrefixLists) before every create or update of a
 * stack and passes the id as the stack parameter {@code OriginPrefixList}.
 */
public final class OriginPrefixList {

    /** The list's name in every region. */
    public static final String NAME = "com.amazonaws.global.cloudfront.origin-facing";

    private OriginPrefixList() {}

    /** The list's id in the client's region; fails when the region does not have it. */
    public static String id(Ec2Client ec2) {
        return ec2.describeManagedPrefixLists(r -> r.filters(f -> f.name("prefix-list-name").values(NAME)))
                .prefixLists().stream()
                .filter(p -> NAME.equals(p.prefixListName()))
                .map(ManagedPrefixList::prefixListId)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the managed prefix list " + NAME
                        + " does not exist in this region, so the load balancer cannot be limited to CloudFront"));
    }
}
